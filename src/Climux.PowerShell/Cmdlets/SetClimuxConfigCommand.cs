using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using Climux.Core.Config;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Sets or removes one key in the user or the project config file.</summary>
/// <remarks>
/// <para>Set-ClimuxConfig writes one dotted key (Get-Help about_Climux lists them all) into the user
/// file $CLIMUX_HOME/config.yaml or, with -Scope Project, into .climux/config.yaml at the top of the
/// git repository of the current location, creating the file when it is missing. Where it can, it edits
/// the text in place, so comments and layout stay; otherwise it writes the document out again, without
/// its comments. The file is replaced in one step and is readable by you only.</para>
/// <para>The new file is checked before it is written: a value of the wrong type or out of range is
/// refused with ClimuxConfigValueInvalid and the file is left as it was. An unknown key is refused with
/// ClimuxConfigKeyInvalid, a file that is already invalid is not edited (ClimuxConfigInvalid, naming its
/// file, line and key), and -Scope Project outside a git repository fails with ClimuxNotInWorkspace.
/// All of these errors are terminating.</para>
/// <para>-Remove deletes the key, or a whole entry such as providers.my-agent, from the file, so its
/// value falls back to the next scope; removing a key the file does not set changes nothing (-Verbose
/// says so). Nothing is output unless -PassThru. -WhatIf and -Confirm are supported.</para>
/// </remarks>
/// <example>
/// <code>Set-ClimuxConfig concurrency.maxActiveSessions 3</code>
/// <para>Allows at most three agents to run at once on this machine, across every PowerShell process.</para>
/// </example>
/// <example>
/// <code>Set-ClimuxConfig providers.codex.model gpt-5.1-codex -Scope Project</code>
/// <para>Makes codex runs in the current repository use gpt-5.1-codex, overriding the user file for this repository only.</para>
/// </example>
/// <example>
/// <code>Set-ClimuxConfig providers.my-agent @{ command = 'aider'; args = @('--yes', '--message', '{prompt}'); output = 'text' }</code>
/// <para>Declares aider as a command provider named my-agent; Start-ClimuxRun -Provider my-agent then runs it with the prompt in place of {prompt}.</para>
/// </example>
/// <example>
/// <code>Set-ClimuxConfig monitoring.maxDailyBudget 20 -PassThru</code>
/// <para>Sets a daily budget of 20 USD and outputs the effective value with the file and line it now comes from.</para>
/// </example>
/// <example>
/// <code>Set-ClimuxConfig concurrency.maxActiveSessions 2 -Scope Store</code>
/// <para>With a shared PostgreSQL store (store.postgres in your config, or CLIMUX_STORE), lets the whole team run at most two
/// agents at once per machine: a team setting is a ceiling that every machine's own config may only lower. -Scope Store takes
/// concurrency.*, monitoring.* and pricing.* keys; with the embedded store it fails with ClimuxStoreNotShared.</para>
/// </example>
/// <example>
/// <code>Set-ClimuxConfig worktrees.enforceNaming -Remove -Scope Project -WhatIf</code>
/// <para>Shows that the key would be removed from the project file, without changing it.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "ClimuxConfig", SupportsShouldProcess = true, DefaultParameterSetName = SetParameterSet)]
[OutputType(typeof(ClimuxConfigEntry))]
public sealed class SetClimuxConfigCommand : ClimuxCmdlet
{
    private const string SetParameterSet = "Set";
    private const string RemoveParameterSet = "Remove";

    /// <summary>
    /// The dotted key to change, e.g. <c>concurrency.maxActiveSessions</c>, <c>providers.codex.model</c>
    /// or <c>pricing.gpt-5.1.input</c> (model names may contain dots). No wildcards. An unknown key is a
    /// terminating ClimuxConfigKeyInvalid error.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ConfigKeyCompleter))]
    public string Key { get; set; } = "";

    /// <summary>
    /// The new value: text, a number, $true or $false, an array (written as a YAML list) or a hashtable
    /// (a YAML mapping, which replaces the whole mapping at the key). A value that does not fit the key
    /// is refused with ClimuxConfigValueInvalid and nothing is written.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SetParameterSet)]
    [AllowNull, AllowEmptyString, AllowEmptyCollection]
    public object? Value { get; set; }

    /// <summary>
    /// Removes the key from the file instead of setting it, so its value falls back to the next scope
    /// (for a project key the user file, then the default). Nothing changes when the file does not set it.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = RemoveParameterSet)]
    public SwitchParameter Remove { get; set; }

    /// <summary>
    /// The file to change: User ($CLIMUX_HOME/config.yaml, the default) or Project (.climux/config.yaml at
    /// the top of the current git repository, which overrides the user file key by key); or Store, the
    /// team settings of a shared PostgreSQL store (concurrency.*, monitoring.*, pricing.*), a ceiling for every machine.
    /// </summary>
    [Parameter]
    [ValidateSet(nameof(ConfigScope.User), nameof(ConfigScope.Project), nameof(ConfigScope.Store))]
    public ConfigScope Scope { get; set; } = ConfigScope.User;

    /// <summary>
    /// Outputs the effective values under the key afterwards, as ClimuxConfigEntry objects like
    /// Get-ClimuxConfig shows. By default nothing is output.
    /// </summary>
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

        var value = Unwrap(Value);
        if (Scope == ConfigScope.Store)
        {
            SetTeamSetting(value);
            return;
        }
        var file = ConfigFilePath(Scope);
        // Never echo a provider's environment values (API keys) into -WhatIf, -Confirm or -Verbose.
        var shown = ConfigKeys.IsSecret(Key) ? ClimuxConfigEntry.Masked : new ClimuxConfigEntry(Key, value, Scope, null, 0).ValueText;
        var action = Remove ? $"Remove '{Key}'" : $"Set '{Key}' to {shown}";
        if (!ShouldProcess(file, action))
            return;
        if (Scope == ConfigScope.User)
            Home.EnsureCreated();

        try
        {
            if (Remove)
            {
                if (!ConfigFileEditor.Remove(file, Key, Scope))
                    WriteVerbose($"'{Key}' was not set in {file}.");
            }
            else
                ConfigFileEditor.Set(file, Key, value, Scope);
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
            ForgetConfig();
            var prefix = ConfigKeys.Resolve(Key).Key;
            WriteObject(LoadConfig().Entries().Where(e => e.Key == prefix || e.Key.StartsWith(prefix + ".", StringComparison.Ordinal)),
                enumerateCollection: true);
        }
    }

    private void SetTeamSetting(object? value)
    {
        var action = Remove ? $"Remove team setting '{Key}'" : $"Set team setting '{Key}' to {new ClimuxConfigEntry(Key, value, Scope, null, 0).ValueText}";
        if (!ShouldProcess(Engine.Store.Location, action))
            return;
        try
        {
            Engine.SetTeamSetting(Key, value, Remove);
        }
        catch (ConfigException e)
        {
            Fail(e, ErrorIds.ConfigValueInvalid, ErrorCategory.InvalidArgument, Value);
        }
        catch (InvalidOperationException e)
        {
            Fail(e, ErrorIds.StoreNotShared, ErrorCategory.InvalidOperation, Engine.Store.Location);
        }
        if (PassThru)
            WriteObject(Engine.TeamConfig());
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
