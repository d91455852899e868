using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using Climux.Core.Config;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Sets or removes one key in the user or project config file.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "ClimuxConfig", SupportsShouldProcess = true, DefaultParameterSetName = SetParameterSet)]
[OutputType(typeof(ClimuxConfigEntry))]
public sealed class SetClimuxConfigCommand : ClimuxCmdlet
{
    private const string SetParameterSet = "Set";
    private const string RemoveParameterSet = "Remove";

    /// <summary>The dotted key, e.g. <c>concurrency.maxActiveSessions</c> or <c>providers.codex.model</c>.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ConfigKeyCompleter))]
    public string Key { get; set; } = "";

    /// <summary>The value: text, number, boolean, array or hashtable.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SetParameterSet)]
    [AllowNull, AllowEmptyString, AllowEmptyCollection]
    public object? Value { get; set; }

    /// <summary>Removes the key from the file, so the value falls back to the next scope.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RemoveParameterSet)]
    public SwitchParameter Remove { get; set; }

    /// <summary>User (CLIMUX_HOME/config.yaml) or Project (.climux/config.yaml in this repository).</summary>
    [Parameter]
    [ValidateSet(nameof(ConfigScope.User), nameof(ConfigScope.Project))]
    public ConfigScope Scope { get; set; } = ConfigScope.User;

    /// <summary>Outputs the effective values under the key afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            ConfigKeys.Resolve(Key);
        }
        catch (ConfigException e)
        {
            Fail(e, ErrorIds.ConfigKeyInvalid, ErrorCategory.InvalidArgument, Key);
        }

        var file = ConfigFile(Scope);
        var value = Unwrap(Value);
        var action = Remove ? $"Remove '{Key}'" : $"Set '{Key}' to {new ClimuxConfigEntry(Key, value, Scope, null, 0).ValueText}";
        if (!ShouldProcess(file, action))
            return;

        try
        {
            if (Remove)
            {
                if (!ConfigFileEditor.Remove(file, Key))
                    WriteVerbose($"'{Key}' was not set in {file}.");
            }
            else
                ConfigFileEditor.Set(file, Key, value);
        }
        catch (ConfigException e) when (e.FilePath is null)
        {
            Fail(e, ErrorIds.ConfigValueInvalid, ErrorCategory.InvalidArgument, Value);
        }
        catch (ConfigException e)
        {
            Fail(e, ErrorIds.ConfigInvalid, ErrorCategory.InvalidData, e.FilePath);
        }

        if (PassThru)
        {
            var prefix = ConfigKeys.Resolve(Key).Key;
            WriteObject(LoadConfig().Entries().Where(e => e.Key == prefix || e.Key.StartsWith(prefix + ".", StringComparison.Ordinal)),
                enumerateCollection: true);
        }
    }

    internal string ConfigFile(ConfigScope scope)
    {
        if (scope == ConfigScope.User)
        {
            Home.EnsureCreated();
            return Home.ConfigFile;
        }
        var workspace = WorkspaceRoot;
        if (workspace is null)
            Fail(new InvalidOperationException($"'{CurrentDirectory}' is not inside a git repository, so it has no project config. " +
                "Change to the repository first, or use -Scope User."), ErrorIds.NotInWorkspace, ErrorCategory.ObjectNotFound, CurrentDirectory);
        return ConfigLoader.ProjectFile(workspace!);
    }

    private static OrderedDictionary UnwrapDictionary(IDictionary dictionary)
    {
        var result = new OrderedDictionary();
        foreach (DictionaryEntry entry in dictionary)
            result[Unwrap(entry.Key)!] = Unwrap(entry.Value);
        return result;
    }

    /// <summary>PowerShell values as plain .NET ones: arrays as lists, hashtables as ordered dictionaries.</summary>
    private static object? Unwrap(object? value)
    {
        value = value is PSObject ps ? ps.BaseObject : value;
        return value switch
        {
            null or string => value,
            IDictionary d => UnwrapDictionary(d),
            IEnumerable e => e.Cast<object?>().Select(Unwrap).ToList(),
            _ => value,
        };
    }
}
