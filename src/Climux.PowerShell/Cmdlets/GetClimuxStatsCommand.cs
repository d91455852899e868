using System.Management.Automation;
using Climux.Core.Stats;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Sums the usage and cost of sessions by provider, model, workspace, worktree or day: sessions, outcomes, tokens by kind, cost and durations.</summary>
/// <remarks>
/// <para>Counts the sessions queued from -From to -To (default: today so far, local time), grouped by -By,
/// and outputs one ClimuxStatsRow per group: By, Key (the provider, model, repository path, worktree name
/// or yyyy-MM-dd day; "(none)" when unset), Sessions, Succeeded (Completed), Failed (Failed, TimedOut
/// and Orphaned), Stopped, Active (still queued or running), InputTokens, OutputTokens,
/// CacheReadTokens, CacheWriteTokens, TotalTokens, CostUsd, TotalDurationSeconds and MeanDurationSeconds (running
/// time of the sessions that started). Rows come most expensive first, or by date with -By Day.</para>
/// <para>Costs are what each CLI reported or what Climux computed from its pricing table (CostSource on
/// each session says which); a model without a known price counts as 0. Worktrees are grouped by name
/// alone, so the same name in two repositories makes one row.</para>
/// <para>A -To that does not come after -From is a terminating ClimuxStatsInvalidRange error.
/// Get-ClimuxStatus shows today's cost against the daily budget.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxStats</code>
/// <para>Shows today's sessions, tokens and cost per provider.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxStats -By Day -From (Get-Date).AddDays(-7)</code>
/// <para>Shows one row per day since this time a week ago, in date order.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxStats -By Model -From 2025-06-01 -To 2025-06-30</code>
/// <para>Sums June 2025 by model; a -To without a time of day includes that whole day.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxStats Worktree -Provider claude-code, codex | Format-Table Key, Sessions, Succeeded, Failed, CostUsd</code>
/// <para>Compares today's claude-code and codex runs per worktree.</para>
/// </example>
/// <example>
/// <code>(Get-ClimuxStats -From (Get-Date -Day 1).Date | Measure-Object CostUsd -Sum).Sum</code>
/// <para>Prints the total cost in USD since the first of the month.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ClimuxStats")]
[OutputType(typeof(ClimuxStatsRow))]
public sealed class GetClimuxStatsCommand : ClimuxCmdlet
{
    /// <summary>
    /// How to group: Provider (the default), Model, Workspace (repository), Worktree (worktree name) or
    /// Day (the local day each session was queued).
    /// </summary>
    [Parameter(Position = 0)]
    public StatsGrouping By { get; set; } = StatsGrouping.Provider;

    /// <summary>
    /// Start of the period, by the time sessions were queued: a date counts from its midnight, a date and
    /// time from that moment (local time unless the value is UTC). Default: today's midnight.
    /// </summary>
    [Parameter]
    public DateTime? From { get; set; }

    /// <summary>
    /// End of the period: a date alone includes that whole day; a date and time ends just before that
    /// moment. Default: now. It must come after -From, else ClimuxStatsInvalidRange.
    /// </summary>
    [Parameter]
    public DateTime? To { get; set; }

    /// <summary>
    /// Only sessions of these providers, by exact name (for example claude-code); no wildcards, and case
    /// matters.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Provider { get; set; }

    protected override void EndProcessing()
    {
        if (StatsPeriod.Resolve(From, To) is not { } period)
        {
            Fail(new ArgumentException($"-To ({To:u}) must come after -From ({From:u})."), ErrorIds.StatsInvalidRange, ErrorCategory.InvalidArgument, To);
            return;
        }
        WriteObject(Engine.Stats(By, period.From, period.To, Provider), enumerateCollection: true);
    }
}
