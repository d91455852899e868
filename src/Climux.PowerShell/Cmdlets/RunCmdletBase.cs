using System.Management.Automation;
using Climux.Core.Quotas;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Jobs;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// Shared by Start-ClimuxRun and Resume-ClimuxSession: queue the run, then either hand back a
/// job at once or, with -Wait, show its events and output the finished session.
/// </summary>
public abstract class RunCmdletBase : ClimuxCmdlet
{
    /// <summary>Blocks until the run ends and outputs the finished session instead of a job.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Seconds the agent may run before it is stopped (status TimedOut).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; }

    /// <summary>USD: the agent is stopped (status Failed) once the run's live cost passes this.</summary>
    [Parameter]
    [ValidateRange(0.000001, 1_000_000)]
    public decimal MaxCost { get; set; }

    /// <summary>Starts even though today's budget is spent, or beside another active run in the same worktree.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private readonly List<RunHandle> _waiting = [];
    private bool _warnedBudget;
    private readonly HostQueue _host = new();

    protected RunOptions Options(bool unrestricted) => new()
    {
        TimeoutSeconds = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : null,
        MaxCost = MyInvocation.BoundParameters.ContainsKey(nameof(MaxCost)) ? MaxCost : null,
        Unrestricted = unrestricted,
        Force = Force,
    };

    /// <summary>Queues and starts the run; writes its job now, or (with -Wait) its session at the end.</summary>
    protected void Launch(RunRequest request, string? jobName)
    {
        RunHandle handle;
        try
        {
            handle = RunEngine.Shared.Queue(request);
        }
        catch (RunRequestException e)
        {
            var (id, category) = ErrorOf(e.Kind);
            WriteError(new ErrorRecord(e, id, category, request.Provider ?? request.Resume?.Id));
            return;
        }
        catch (BudgetExceededException e)
        {
            Fail(e, ErrorIds.BudgetExceeded, ErrorCategory.LimitsExceeded, e.State);
            return;
        }
        catch (DirectoryBusyException e)
        {
            WriteError(new ErrorRecord(e, ErrorIds.WorktreeBusy, ErrorCategory.ResourceBusy, e.Directory));
            return;
        }
        if (handle.Budget is { PastAlertThreshold: true } budget && !_warnedBudget)
        {
            _warnedBudget = true;
            WriteWarning($"Climux: {budget.Describe()}; the alert threshold is {budget.AlertThreshold:P0}.");
        }

        if (!Wait)
        {
            var job = new ClimuxRunJob(handle, $"{handle.Session.Provider}: {ClimuxSessionText.Abbreviate(request.Prompt, 60)}", jobName);
            var definition = new JobDefinition(typeof(ClimuxRunJobSourceAdapter), "", job.Name);
            JobManager.NewJob(new JobInvocationInfo(definition, new Dictionary<string, object> { ["Job"] = job }));
            job.StartJob();
            WriteObject(job);
            return;
        }

        handle.Updated += update => _host.Post(() => Show(update));
        _waiting.Add(handle);
        RunEngine.Shared.Start(handle);
    }

    protected override void EndProcessing()
    {
        if (_waiting.Count == 0)
            return;
        var all = Task.WhenAll(_waiting.Select(h => h.Completion));
        var sessions = _host.Run(all, PipelineStopToken);
        WriteProgress(new ProgressRecord(0, "Climux", "Done") { RecordType = ProgressRecordType.Completed });
        foreach (var session in sessions)
        {
            WriteObject(session);
            if (RunRecords.FailureOf(session) is { } error)
                WriteError(error);
        }
    }

    /// <summary>Ctrl+C: stop every run this command started, and give each a moment to end.</summary>
    protected override void StopProcessing()
    {
        foreach (var handle in _waiting)
            handle.Stop("Stopped with Ctrl+C.");
        Task.WaitAll(_waiting.Select(h => (Task)h.Completion).ToArray(), TimeSpan.FromSeconds(10));
    }

    private void Show(RunUpdate update)
    {
        switch (update)
        {
            case RunTranscriptUpdate transcript:
                WriteInformation(RunRecords.Information(transcript.Event));
                break;
            case RunWarningUpdate warning:
                WriteWarning(warning.Message);
                break;
            case RunStatusUpdate status:
                WriteVerbose(status.Message);
                if (!status.Status.IsFinished())
                    WriteProgress(new ProgressRecord(Math.Abs(status.SessionId.GetHashCode()) % 100000, $"Climux {status.SessionId}", status.Message));
                break;
        }
    }
}

internal static class ClimuxSessionText
{
    public static string Abbreviate(string text, int length)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= length ? line : line[..(length - 1)] + "…";
    }
}
