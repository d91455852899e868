using System.Management.Automation;
using Climux.Core.Config;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows the effective configuration and where each value comes from.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClimuxConfig")]
[OutputType(typeof(ClimuxConfigEntry))]
public sealed class GetClimuxConfigCommand : ClimuxCmdlet
{
    /// <summary>Keys to show, e.g. <c>concurrency.*</c>; all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ConfigKeyCompleter))]
    public string[]? Key { get; set; }

    /// <summary>Only values that come from these scopes.</summary>
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
