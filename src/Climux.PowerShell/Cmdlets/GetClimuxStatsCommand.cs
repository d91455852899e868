using System.Management.Automation;
using Climux.Core.Stats;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Usage and cost by provider, model, workspace, worktree or day: sessions, outcomes, tokens by kind, cost, durations.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClimuxStats")]
[OutputType(typeof(ClimuxStatsRow))]
public sealed class GetClimuxStatsCommand : ClimuxCmdlet
{
    [Parameter(Position = 0)]
    public StatsGrouping By { get; set; } = StatsGrouping.Provider;

    /// <summary>First day (or moment) to count; default: today.</summary>
    [Parameter]
    public DateTime? From { get; set; }

    /// <summary>Last day to count, inclusive (a time of day makes it exact); default: now.</summary>
    [Parameter]
    public DateTime? To { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Provider { get; set; }

    protected override void EndProcessing()
    {
        var from = From is { } f ? ToLocal(f) : new DateTimeOffset(DateTime.Today);
        // A date without a time means that whole day.
        var to = To is { } t ? (t.TimeOfDay == TimeSpan.Zero ? ToLocal(t).AddDays(1) : ToLocal(t)) : DateTimeOffset.Now.AddMinutes(1);
        if (to <= from)
        {
            Fail(new ArgumentException($"-To ({to:u}) must come after -From ({from:u})."), "ClimuxStatsInvalidRange", ErrorCategory.InvalidArgument, To);
            return;
        }
        WriteObject(StatsQuery.Run(OpenStore(), By, from, to, Provider), enumerateCollection: true);
    }

    private static DateTimeOffset ToLocal(DateTime value) =>
        value.Kind == DateTimeKind.Utc ? new DateTimeOffset(value) : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Local));
}
