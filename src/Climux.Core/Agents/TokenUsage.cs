namespace Climux.Core.Agents;

/// <summary>Tokens by kind. Input excludes cached tokens, which are counted as cache reads.</summary>
public readonly record struct TokenUsage(long Input, long Output, long CacheRead, long CacheWrite)
{
    public static readonly TokenUsage Zero = default;

    public long Total => Input + Output + CacheRead + CacheWrite;

    public static TokenUsage operator +(TokenUsage a, TokenUsage b) =>
        new(a.Input + b.Input, a.Output + b.Output, a.CacheRead + b.CacheRead, a.CacheWrite + b.CacheWrite);

    public static TokenUsage Sum(IEnumerable<TokenUsage> usages) => usages.Aggregate(Zero, (a, b) => a + b);
}
