using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Climux.Core.Config;
using Climux.Core.Paths;
using Climux.Core.Providers;
using Climux.Core.Workspaces;

namespace Climux.PowerShell.Completion;

/// <summary>Shared matching and quoting for every Climux completer.</summary>
public abstract class ClimuxCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
        IEnumerable<(string Value, string Tooltip)> candidates;
        try
        {
            candidates = Candidates(CurrentDirectory()).ToList();
        }
        catch (Exception)
        {
            yield break; // a broken config must not break the prompt; the command itself will say what is wrong
        }
        foreach (var (value, tooltip) in candidates)
        {
            if (!pattern.IsMatch(value))
                continue;
            var text = value.Any(c => char.IsWhiteSpace(c) || "'\"`$(){}[];,|&@#<>".Contains(c)) ? $"'{value.Replace("'", "''")}'" : value;
            yield return new CompletionResult(text, value, CompletionResultType.ParameterValue, string.IsNullOrEmpty(tooltip) ? value : tooltip);
        }
    }

    protected abstract IEnumerable<(string Value, string Tooltip)> Candidates(string currentDirectory);

    protected static LoadedConfig LoadConfig(string currentDirectory) =>
        ConfigLoader.Load(ClimuxHome.FromEnvironment(currentDirectory), WorkspaceLocator.FindWorkspaceRoot(currentDirectory));

    private static string CurrentDirectory()
    {
        using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        var location = ps.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem").Invoke();
        return location.FirstOrDefault()?.BaseObject is PathInfo path ? path.ProviderPath : Environment.CurrentDirectory;
    }
}

/// <summary>Completes provider names: the built-in CLIs and the commands declared in config.</summary>
public sealed class ProviderNameCompleter : ClimuxCompleter
{
    protected override IEnumerable<(string, string)> Candidates(string currentDirectory) =>
        ProviderDirectory.Names(LoadConfig(currentDirectory).Config).Select(n => (n, $"provider {n}"));
}

/// <summary>Completes dotted config keys, filling provider and model names from the config.</summary>
public sealed class ConfigKeyCompleter : ClimuxCompleter
{
    protected override IEnumerable<(string, string)> Candidates(string currentDirectory)
    {
        var config = LoadConfig(currentDirectory).Config;
        return ConfigKeys.Settable(dictionary => dictionary switch
        {
            "providers" => ProviderDirectory.Names(config),
            "pricing" => config.Pricing.Keys,
            _ => [],
        }).Select(k => (k, k));
    }
}

/// <summary>Completes preset names from the config's presets: section.</summary>
public sealed class PresetNameCompleter : ClimuxCompleter
{
    protected override IEnumerable<(string, string)> Candidates(string currentDirectory)
    {
        var config = LoadConfig(currentDirectory).Config;
        return Climux.Core.Routing.Presets.Names(config).Select(n =>
        {
            var preset = config.Presets[n];
            var parts = new[] { preset.Provider, preset.Mode?.ToString(), preset.Model }.Where(p => p is not null);
            return (n, $"preset {n}: {string.Join(", ", parts)}");
        });
    }
}

/// <summary>Completes workspace aliases (@name) from the config's workspaces: section.</summary>
public sealed class WorkspaceAliasCompleter : ClimuxCompleter
{
    protected override IEnumerable<(string, string)> Candidates(string currentDirectory) =>
        LoadConfig(currentDirectory).Config.Workspaces.OrderBy(w => w.Key, StringComparer.OrdinalIgnoreCase)
            .Select(w => ("@" + w.Key, $"workspace {w.Value}"));
}
