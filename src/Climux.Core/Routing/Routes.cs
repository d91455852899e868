using System.Text.RegularExpressions;
using Climux.Core.Config;
using Climux.Core.Providers;

namespace Climux.Core.Routing;

/// <summary>How a run that names no provider gets one: why this provider, for this prompt.</summary>
public sealed class ClimuxRoute
{
    public required string Prompt { get; init; }
    public required string Provider { get; init; }
    /// <summary>Rule, DefaultProvider, Explicit or Preset.</summary>
    public required RouteSource Source { get; init; }
    /// <summary>The routing rule that matched, when one did.</summary>
    public string? Pattern { get; init; }
    /// <summary>The matching rule's position in the merged list (the project's rules first), from 0.</summary>
    public int? Rule { get; init; }
    public required string Reason { get; init; }

    public override string ToString() => $"{Provider}: {Reason}";
}

public enum RouteSource
{
    /// <summary>The run named its provider.</summary>
    Explicit,
    /// <summary>The run's preset named it.</summary>
    Preset,
    /// <summary>A routing rule matched the prompt.</summary>
    Rule,
    /// <summary>No rule matched: the config's defaultProvider.</summary>
    DefaultProvider,
}

/// <summary>The routing rules of a config, applied to prompts.</summary>
public static class Routes
{
    /// <summary>How long one pattern may take on one prompt; past it the rule counts as not matching.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>Why <paramref name="pattern"/> is no regular expression; null when it is one.</summary>
    public static string? PatternProblem(string pattern)
    {
        try
        {
            _ = new Regex(pattern, Options, MatchTimeout);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>Whether the provider is one a user's config allows: a built-in, or a command it declares.</summary>
    public static bool UserKnows(ClimuxConfig user, string provider) =>
        BuiltInProviders.Find(provider) is not null || user.ProviderSettings(provider)?.Command is not null;

    /// <summary>
    /// The provider of a run: <paramref name="explicitProvider"/> when given, else the first routing
    /// rule whose pattern matches the prompt, else defaultProvider.
    /// </summary>
    public static ClimuxRoute Resolve(ClimuxConfig config, string prompt, string? explicitProvider = null, string? presetName = null, string? presetProvider = null)
    {
        if (explicitProvider is not null)
            return new ClimuxRoute { Prompt = prompt, Provider = explicitProvider, Source = RouteSource.Explicit, Reason = "The run names its provider." };
        if (presetProvider is not null)
            return new ClimuxRoute { Prompt = prompt, Provider = presetProvider, Source = RouteSource.Preset, Reason = $"Preset '{presetName}' names it." };
        var timedOut = new List<string>();
        for (var i = 0; i < config.Routing.Count; i++)
        {
            var rule = config.Routing[i];
            try
            {
                if (Regex.IsMatch(prompt, rule.Pattern, Options, MatchTimeout))
                    return new ClimuxRoute
                    {
                        Prompt = prompt, Provider = rule.Provider, Source = RouteSource.Rule, Pattern = rule.Pattern, Rule = i,
                        Reason = $"The prompt matches routing rule {i + 1}, '{rule.Pattern}'.",
                    };
            }
            catch (RegexMatchTimeoutException)
            {
                timedOut.Add($"'{rule.Pattern}'");
            }
        }
        var note = timedOut.Count == 0 ? "" : $" (rule {string.Join(", ", timedOut)} took longer than {MatchTimeout.TotalMilliseconds} ms and was skipped)";
        return new ClimuxRoute
        {
            Prompt = prompt, Provider = config.DefaultProvider, Source = RouteSource.DefaultProvider,
            Reason = (config.Routing.Count == 0 ? "No routing rules; the defaultProvider." : "No routing rule matches the prompt; the defaultProvider.") + note,
        };
    }
}
