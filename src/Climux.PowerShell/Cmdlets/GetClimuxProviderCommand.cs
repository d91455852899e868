using System.Management.Automation;
using Climux.Core.Providers;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Lists the agent providers: whether each CLI is installed, where, its version and its configured model.</summary>
/// <remarks>
/// <para>Lists the built-in providers (claude-code, codex, gemini-cli, opencode, qwen-code), installed or not,
/// then every other provider declared under providers: in the config. Each ClimuxProvider has Name,
/// Kind (BuiltIn or Command), Command (providers.&lt;name&gt;.command, or the CLI's usual executable
/// name), Installed, Path (the executable found, a bare name being looked up on PATH), Version, Model
/// (providers.&lt;name&gt;.model), IsDefault (it is the defaultProvider), InstallCommand (the npm command
/// that installs a built-in CLI) and Note (why the CLI was not found or its version is unknown).</para>
/// <para>The version comes from running the executable with --version and the provider's env
/// variables, for all providers in parallel. The answer is cached in the store until the executable's
/// size or modification time changes; -Refresh asks again. A CLI that does not answer within -Timeout
/// seconds is reported in Note instead of being waited for, and that answer is cached too.</para>
/// <para>A name without wildcards that is no known provider writes a non-terminating
/// ClimuxProviderNotFound error listing the known names. An invalid config is a terminating
/// ClimuxConfigInvalid error. Start-ClimuxRun -Provider takes the same names.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxProvider | Where-Object Installed</code>
/// <para>Shows the agent CLIs that are installed here, with their paths and versions.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxProvider | Where-Object { -not $_.Installed } | ForEach-Object InstallCommand</code>
/// <para>Prints the npm command that installs each missing built-in CLI, such as npm install -g @openai/codex.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxProvider codex -Refresh</code>
/// <para>Runs codex --version again instead of using the cached answer, for example after a Note said it did not answer in time.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxProvider *code* -Timeout 20</code>
/// <para>Shows claude-code and opencode, waiting up to 20 seconds for each one's version.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ClimuxProvider")]
[OutputType(typeof(ClimuxProvider))]
public sealed class GetClimuxProviderCommand : ClimuxCmdlet
{
    /// <summary>
    /// Provider names to show; wildcards allowed, matched without regard to case. All providers when
    /// omitted. Accepts pipeline input.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>
    /// Runs each CLI's --version again instead of using the answer cached in the store, which is
    /// otherwise kept until the executable changes.
    /// </summary>
    [Parameter]
    public SwitchParameter Refresh { get; set; }

    /// <summary>
    /// Seconds to wait for each CLI's <c>--version</c> before giving up and saying so in Note; 1 to 300,
    /// default 5.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int Timeout { get; set; } = (int)ProviderDirectory.DefaultVersionTimeout.TotalSeconds;

    private readonly List<string> _names = [];

    protected override void ProcessRecord()
    {
        if (Name is not null)
            _names.AddRange(Name);
    }

    protected override void EndProcessing()
    {
        var config = LoadConfig().Config;
        var wanted = _names.Count == 0 ? ["*"] : _names;
        var known = ProviderDirectory.Names(config);
        foreach (var name in wanted.Where(n => !WildcardPattern.ContainsWildcardCharacters(n) && !known.Contains(n, StringComparer.OrdinalIgnoreCase)))
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No provider named '{name}'. Known: {string.Join(", ", known)}. " +
                "Declare a command provider with: Set-ClimuxConfig providers.<name>.command <executable>"),
                ErrorIds.ProviderNotFound, ErrorCategory.ObjectNotFound, name));
        }
        var patterns = wanted.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        var selected = known.Where(n => patterns.Any(p => p.IsMatch(n))).ToList();
        if (selected.Count == 0)
            return;

        var providers = Engine.Providers()
            .DescribeAsync(config, selected, TimeSpan.FromSeconds(Timeout), Refresh, CurrentDirectory, PipelineStopToken)
            .GetAwaiter().GetResult();
        WriteObject(providers, enumerateCollection: true);
    }
}
