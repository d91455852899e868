using Climux.Core.Config;

namespace Climux.Core.Routing;

/// <summary>Where a task goes on when its provider is missing or rate-limited: <c>fallbackOrder</c>.</summary>
public static class Fallbacks
{
    /// <summary>
    /// The provider after <paramref name="current"/> in fallbackOrder (from the list's start when it is
    /// not in the list, wrapping round), skipping every provider in <paramref name="tried"/>; null when none is left.
    /// </summary>
    public static string? Next(ClimuxConfig config, string current, IEnumerable<string> tried)
    {
        var order = config.FallbackOrder;
        var skip = new HashSet<string>(tried, StringComparer.OrdinalIgnoreCase) { current };
        var at = order.FindIndex(p => p.Equals(current, StringComparison.OrdinalIgnoreCase));
        return order.Skip(at + 1).Concat(order.Take(at + 1)).FirstOrDefault(p => !skip.Contains(p));
    }

    /// <summary>The Error of a session its provider's rate limit ended.</summary>
    public static string RateLimitError(string provider, string detail) =>
        $"Rate limited: {provider}'s model API answered 429 (rate limit or quota exhausted): {detail}";
}
