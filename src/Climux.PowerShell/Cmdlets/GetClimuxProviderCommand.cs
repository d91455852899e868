using System.Management.Automation;
using Climux.Core.Providers;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Lists the agent providers: whether each CLI is installed, where, and its version.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClimuxProvider")]
[OutputType(typeof(ClimuxProvider))]
public sealed class GetClimuxProviderCommand : ClimuxCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Asks each CLI for its version again instead of using the cached answer.</summary>
    [Parameter]
    public SwitchParameter Refresh { get; set; }

    /// <summary>Seconds to wait for a CLI's <c>--version</c> before giving up on it.</summary>
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

        var providers = new ProviderDirectory(OpenStore())
            .DescribeAsync(config, selected, TimeSpan.FromSeconds(Timeout), Refresh, PipelineStopToken)
            .GetAwaiter().GetResult();
        WriteObject(providers, enumerateCollection: true);
    }
}
