using System.Management.Automation;
using Climux.Core.Config;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Shows the effective configuration: each setting's value and the scope, file and line it comes from.</summary>
/// <remarks>
/// <para>Settings come from three scopes, each overriding the one before key by key: Default (built into
/// Climux), User ($CLIMUX_HOME/config.yaml) and Project (.climux/config.yaml at the top of the git
/// repository of the current location). Get-ClimuxConfig outputs one ClimuxConfigEntry per effective
/// value: Key (dotted, camelCase), Value, Scope, Path (null for a built-in default), Line and Reason
/// (which scope won and why). Keys that have no value, such as worktrees.root when it is not set, are
/// not listed. Values under providers.&lt;name&gt;.env are shown as ********.</para>
/// <para>A project file may only lower concurrency.maxActiveSessions, concurrency.maxSessionsPerWorkspace
/// and monitoring.maxDailyBudget, and may not set monitoring.alertThreshold, pricing or worktrees.root:
/// such values are ignored with a warning, and the Reason of the key says so.</para>
/// <para>-Key takes exact keys, whole sections (concurrency shows both of its keys) and wildcard
/// patterns, all matched without regard to case. A key without wildcards that is not a config key
/// writes a non-terminating ClimuxConfigKeyInvalid error; a pattern that matches nothing outputs
/// nothing.</para>
/// <para>A config file that cannot be used (invalid YAML, an unknown key, a value of the wrong type)
/// stops the command with a terminating ClimuxConfigInvalid error that names the file, line, column and
/// key. Set-ClimuxConfig changes one key; Initialize-ClimuxConfig writes a commented starter file.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxConfig</code>
/// <para>Lists every effective setting with the scope and file it comes from.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxConfig concurrency | Format-List Key, Value, Scope, Reason</code>
/// <para>Shows both keys of the concurrency section, and why each has its value: for example a project limit that was ignored because it would raise yours.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxConfig providers.* -Scope User, Project</code>
/// <para>Shows the provider settings that the user or project file sets, leaving out built-in defaults.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxConfig -Scope Project | Format-Table Key, Value, Line</code>
/// <para>Shows what the current repository's .climux/config.yaml overrides, with the line of each value.</para>
/// </example>
/// <example>
/// <code>try { Get-ClimuxConfig } catch { $_.FullyQualifiedErrorId }</code>
/// <para>Prints ClimuxConfigInvalid,Climux.PowerShell.Cmdlets.GetClimuxConfigCommand when a config file is broken; the error message says which file, line and key.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ClimuxConfig")]
[OutputType(typeof(ClimuxConfigEntry))]
public sealed class GetClimuxConfigCommand : ClimuxCmdlet
{
    /// <summary>
    /// Keys to show: an exact dotted key (concurrency.maxActiveSessions), a section (concurrency,
    /// providers.codex) or a wildcard pattern (monitoring.*), matched without regard to case. All keys
    /// when omitted. Accepts pipeline input.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ConfigKeyCompleter))]
    public string[]? Key { get; set; }

    /// <summary>Shows only the values that come from these scopes: Default, User or Project. All scopes when omitted.</summary>
    [Parameter]
    public ConfigScope[]? Scope { get; set; }

    private readonly List<string> _keys = [];

    protected override void ProcessRecord()
    {
        if (Key is not null)
            _keys.AddRange(Key);
    }

    protected override void EndProcessing()
    {
        var entries = LoadConfig().Entries().Where(e => Scope is null || Scope.Contains(e.Scope)).ToList();
        if (_keys.Count == 0)
        {
            WriteObject(entries, enumerateCollection: true);
            return;
        }
        var shown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in _keys)
        {
            var pattern = WildcardPattern.Get(key, WildcardOptions.IgnoreCase);
            // A plain key names a value or a whole section: "concurrency" shows both of its keys.
            var matches = entries.Where(e => pattern.IsMatch(e.Key) ||
                (!WildcardPattern.ContainsWildcardCharacters(key) && e.Key.StartsWith(key + ".", StringComparison.OrdinalIgnoreCase))).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(key))
            {
                try
                {
                    ConfigKeys.Resolve(key);
                }
                catch (ConfigException e)
                {
                    WriteError(new ErrorRecord(e, ErrorIds.ConfigKeyInvalid, ErrorCategory.InvalidArgument, key));
                }
            }
            foreach (var entry in matches.Where(e => shown.Add(e.Key)))
                WriteObject(entry);
        }
    }
}
