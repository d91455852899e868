using System.Management.Automation;
using Climux.Core.Quotas;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Shows the machine's Climux load now: running and queued sessions of every process, the limits, per-workspace counts, and today's cost against the daily budget.</summary>
/// <remarks>
/// <para>Outputs one ClimuxStatus object: ActiveSessions (running) and QueuedSessions, with their ids in
/// ActiveSessionIds and QueuedSessionIds; MaxActiveSessions and MaxSessionsPerWorkspace; Workspaces,
/// with Running, Queued and Limit for each repository that has live sessions ("(none)" for runs outside
/// git); CostToday (USD of the sessions queued since local midnight, live ones included); DailyBudget
/// (null when monitoring.maxDailyBudget is 0); BudgetUsed (CostToday as a fraction of DailyBudget) and
/// AlertThreshold.</para>
/// <para>It counts the sessions of every PowerShell process on the machine, after marking Orphaned those
/// whose process has died. The limits, budget and threshold shown are those of the configuration in
/// effect at the current location. An invalid config is a terminating ClimuxConfigInvalid error.
/// Get-ClimuxSession lists the sessions themselves; Get-ClimuxStats sums usage over a period.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxStatus</code>
/// <para>Shows how many sessions run (with their ids, against the limit) and wait, the load of each repository, and the cost today against the daily budget.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxStatus | ConvertTo-Json</code>
/// <para>Outputs the status as JSON for a dashboard or another tool.</para>
/// </example>
/// <example>
/// <code>(Get-ClimuxStatus).Workspaces | Format-Table Workspace, Running, Queued, Limit</code>
/// <para>Shows how many sessions run and wait in each repository, against the per-workspace limit.</para>
/// </example>
/// <example>
/// <code>$status = Get-ClimuxStatus
/// if ($status.BudgetUsed -ge $status.AlertThreshold) { Write-Warning "Spent $($status.CostToday) of $($status.DailyBudget) USD today" }</code>
/// <para>Warns when today's spend has reached the alert threshold; BudgetUsed is null, and the test false, when no budget is set.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ClimuxStatus")]
[OutputType(typeof(ClimuxStatus))]
public sealed class GetClimuxStatusCommand : ClimuxCmdlet
{
    protected override void EndProcessing()
    {
        WriteObject(Engine.Status(LoadConfig().Config));
    }
}
