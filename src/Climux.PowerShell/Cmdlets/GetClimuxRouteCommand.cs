using System.Management.Automation;
using Climux.Core.Routing;
using Climux.Core.Runs;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Says which provider a prompt would run on, and why: a routing rule, a preset or defaultProvider.</summary>
/// <remarks>
/// <para>A Start-ClimuxRun without -Provider gets its provider from its -Preset, else from the first rule
/// under routing: in the config whose pattern (a .NET regular expression, matched without regard to case
/// anywhere in the prompt, given 200 ms at most) matches the prompt, else from defaultProvider.
/// Get-ClimuxRoute applies the same rules, starting nothing, and outputs a ClimuxRoute: Prompt, Provider,
/// Source (Explicit, Preset, Rule or DefaultProvider), Pattern and Rule (the matching rule and its
/// position, from 0, in the merged list) and Reason.</para>
/// <para>The rules are the current repository's project config's rules, then the user's. A project rule
/// may name only a built-in provider or one your config declares; others are ignored with a warning.
/// Whether the provider is installed is not checked here: a run falls back along fallbackOrder when it is
/// not. An unknown -Preset writes ClimuxPresetNotFound.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxRoute 'Fix the React date picker'</code>
/// <para>With routing: [ { pattern: 'frontend|react', provider: gemini-cli } ] in config.yaml, says gemini-cli, because the prompt matches rule 1.</para>
/// </example>
/// <example>
/// <code>'Fix the login bug', 'Restyle the React header' | Get-ClimuxRoute | Format-Table Provider, Source, Pattern, Prompt</code>
/// <para>Shows where each of several prompts would go.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxRoute 'Review src/api' -Preset review</code>
/// <para>Shows the provider the review preset chooses.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ClimuxRoute")]
[OutputType(typeof(ClimuxRoute))]
public sealed class GetClimuxRouteCommand : ClimuxCmdlet
{
    /// <summary>The prompt a run would be given. Accepts pipeline input.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Prompt { get; set; } = "";

    /// <summary>A preset whose provider the run would take, as Start-ClimuxRun -Preset.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    public string? Preset { get; set; }

    protected override void ProcessRecord()
    {
        var config = LoadConfig().Config;
        try
        {
            WriteObject(Engine.Route(config, Prompt, preset: Preset));
        }
        catch (RunRequestException e)
        {
            WriteError(new ErrorRecord(e, ErrorIds.PresetNotFound, ErrorCategory.ObjectNotFound, Preset));
        }
    }
}
