using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Waits until sessions finish (all, or with -Any the first), showing progress, and outputs them.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "ClimuxSession")]
[OutputType(typeof(ClimuxSession))]
public sealed class WaitClimuxSessionCommand : ClimuxCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>Returns as soon as one of the sessions has finished.</summary>
    [Parameter]
    public SwitchParameter Any { get; set; }

    /// <summary>Seconds to wait at most; sessions still going on then are reported in an error.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    private readonly List<string> _ids = [];

    protected override void ProcessRecord()
    {
        var repository = Sessions();
        foreach (var reference in Id)
            if (ResolveSession(repository, reference) is { } session && !_ids.Contains(session.Id))
                _ids.Add(session.Id);
    }

    protected override void EndProcessing()
    {
        if (_ids.Count == 0)
            return;
        var host = new HostQueue();
        var timeout = Timeout >= 0 ? TimeSpan.FromSeconds(Timeout) : (TimeSpan?)null;
        var work = SessionControl.WaitAsync(Home, _ids, Any, timeout, sessions => host.Post(() => ShowProgress(sessions)), PipelineStopToken);
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
