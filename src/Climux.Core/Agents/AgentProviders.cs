using Climux.Core.Config;
using Climux.Core.Providers;

namespace Climux.Core.Agents;

/// <summary>Finds the adapter for a provider name: a built-in CLI or a declared command.</summary>
public static class AgentProviders
{
    private static IEnumerable<AgentProvider> BuiltIn => BuiltInProviders.All.Select(p => p.Adapter);

    public static AgentProvider? Find(string name, ClimuxConfig config)
    {
        var builtIn = BuiltIn.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (builtIn is not null)
            return builtIn;
        var declared = config.Providers.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        return declared.Value?.Command is not null ? new CommandProvider(declared.Key, declared.Value) : null;
    }

    /// <summary>The interactive resume command for a finished session, where the CLI has one.</summary>
    public static string? InteractiveResumeCommand(string provider, string? nativeSessionId) =>
        nativeSessionId is null ? null : BuiltIn.FirstOrDefault(p => p.Name == provider)?.InteractiveResumeCommand(nativeSessionId);

    /// <summary>The executable for a provider: its configured command, else the first of the CLI's names found on PATH, else its usual name.</summary>
    public static string CommandOf(string name, ClimuxConfig config) =>
        config.ProviderSettings(name)?.Command
        ?? (BuiltInProviders.Find(name) is { } builtIn ? builtIn.Executables.FirstOrDefault(e => CommandResolver.Resolve(e) is not null) ?? builtIn.Executable : null)
        ?? name;
}
