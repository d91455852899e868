using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Waits until sessions have finished (all of them, or with -Any the first), showing progress, and outputs them.</summary>
/// <remarks>
/// <para>Wait-ClimuxSession takes sessions by id, name, id prefix, ClimuxSession object or ClimuxRun job,
/// as arguments or from the pipeline, and blocks until all of them have finished (any status but Queued
/// and Running), with a progress bar showing how many have finished, run and wait, and their cost so far.
/// It works on sessions of every PowerShell process on the machine: it is woken by changes to the store
/// rather than spinning, and marks Orphaned the sessions whose PowerShell process has died.</para>
/// <para>It outputs the finished sessions in the order they were queued. It writes no error for a
/// session that ended Failed, Stopped or TimedOut, so look at Status (Start-ClimuxRun -Wait and
/// Receive-Job do report those). With -Any it returns as soon as one has finished and outputs those
/// finished by then.</para>
/// <para>When -Timeout passes first, it outputs the sessions that have finished and writes a
/// non-terminating ClimuxWaitTimeout error naming the others, which go on running (with -Any, only when
/// none has finished). A reference that matches no session writes ClimuxSessionNotFound; the others are
/// still waited for.</para>
/// </remarks>
/// <example>
/// <code>$jobs = 'feature-auth', 'feature-api' | ForEach-Object { Start-ClimuxRun "Implement $_ as described in docs/$_.md" -Worktree $_ }
/// $jobs | Wait-ClimuxSession | Format-Table Id, Worktree, Status, CostUsd</code>
/// <para>Starts two runs in their worktrees, shows a progress bar while they run, then a table of the finished sessions.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxSession -Status Running, Queued | Wait-ClimuxSession -Timeout 600</code>
/// <para>Waits up to ten minutes for every live session on the machine, including those of other PowerShell processes.</para>
/// </example>
/// <example>
/// <code>$first = Wait-ClimuxSession $claude, $codex -Any
/// $claude, $codex | Stop-ClimuxSession</code>
/// <para>Races two runs of the same task: takes the session that finished first and stops the other; Stop-ClimuxSession leaves the finished one as it is.</para>
/// </example>
/// <example>
/// <code>$done = $jobs | Wait-ClimuxSession
/// $done | Where-Object Status -ne 'Completed' | Select-Object Id, Status, Error</code>
/// <para>Waits for all the jobs, then lists the sessions that did not complete and why.</para>
/// </example>
/// <example>
/// <code>try { Wait-ClimuxSession bug-123 -Timeout 300 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }</code>
/// <para>Prints ClimuxWaitTimeout,Climux.PowerShell.Cmdlets.WaitClimuxSessionCommand when bug-123 is still going on after five minutes.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Wait, "ClimuxSession")]
[OutputType(typeof(ClimuxSession))]
public sealed class WaitClimuxSessionCommand : ClimuxCmdlet
{
    /// <summary>
    /// Sessions to wait for: ids, names, id prefixes (4 characters or more), ClimuxSession objects or
    /// ClimuxRun jobs. Values from the pipeline are collected, then waited for together.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>Returns as soon as at least one of the sessions has finished, outputting the finished ones.</summary>
    [Parameter]
    public SwitchParameter Any { get; set; }

    /// <summary>
    /// Seconds to wait at most; 0 looks once and returns. When it passes, the finished sessions are output
    /// and a ClimuxWaitTimeout error names the rest, which keep running. Default: no limit.
    /// </summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    private readonly List<string> _ids = [];

    protected override void ProcessRecord()
    {
        foreach (var reference in Id)
            if (ResolveSession(reference) is { } session && !_ids.Contains(session.Id))
                _ids.Add(session.Id);
    }

    protected override void EndProcessing()
    {
        if (_ids.Count == 0)
            return;
        var host = new HostQueue();
        var timeout = Timeout >= 0 ? TimeSpan.FromSeconds(Timeout) : (TimeSpan?)null;
        var work = Engine.Sessions.WaitAsync(_ids, Any, timeout, sessions => host.Post(() => ShowProgress(sessions)), PipelineStopToken);
        var sessions = host.Run(work, PipelineStopToken);
        WriteProgress(new ProgressRecord(1, "Waiting for Climux sessions", "Done") { RecordType = ProgressRecordType.Completed });

        var finished = sessions.Where(s => s.IsFinished).ToList();
        WriteObject(finished, enumerateCollection: true);
        var pending = sessions.Where(s => !s.IsFinished).ToList();
        if (pending.Count > 0 && (!Any || finished.Count == 0))
            WriteError(new ErrorRecord(new TimeoutException($"Still going on after {Timeout} s: {string.Join(", ", pending.Select(s => $"{s.Id} ({s.Status})"))}."),
                ErrorIds.WaitTimeout, ErrorCategory.OperationTimeout, pending));
    }

    private void ShowProgress(IReadOnlyList<ClimuxSession> sessions)
    {
        var done = sessions.Count(s => s.IsFinished);
        var running = sessions.Count(s => s.Status == SessionStatus.Running);
        var queued = sessions.Count(s => s.Status == SessionStatus.Queued);
        var cost = sessions.Sum(s => s.CostUsd);
        WriteProgress(new ProgressRecord(1, "Waiting for Climux sessions",
            $"{done} of {sessions.Count} finished, {running} running, {queued} queued, ${cost:0.0000} so far")
        {
            PercentComplete = sessions.Count == 0 ? 100 : done * 100 / sessions.Count,
        });
    }
}
