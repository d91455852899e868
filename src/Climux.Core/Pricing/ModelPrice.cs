namespace Climux.Core.Pricing;

/// <summary>USD per million tokens of each kind.</summary>
public sealed record ModelPrice(decimal Input, decimal Output, decimal CacheRead, decimal CacheWrite)
{
    public decimal Cost(Agents.TokenUsage usage) =>
        (usage.Input * Input + usage.Output * Output + usage.CacheRead * CacheRead + usage.CacheWrite * CacheWrite) / 1_000_000m;
}
