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
    /// <summary>
    /// Blocks until every run this command started has ended, then outputs their finished sessions
    /// instead of jobs. Meanwhile it shows progress, writes the agent's events to the information stream
    /// (-InformationAction Continue shows them) and status changes to the verbose stream; Ctrl+C stops
    /// the runs. A run that ends Failed, TimedOut or Orphaned also writes a ClimuxRunFailed or
    /// ClimuxRunTimedOut error after its session.
    /// </summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>
    /// Seconds the agent may run, counted from its start (time spent queued does not count); then its
    /// process tree is killed and the session ends TimedOut. Default: no limit.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 4_294_967)]
    public int Timeout { get; set; }

    /// <summary>
    /// A cost limit in USD for this run: once its live cost (as the CLI reports it, or computed from its
    /// tokens) passes the limit, the agent is stopped and the session ends Failed. The cost is checked as
    /// output arrives, so the final cost can be somewhat above the limit. Default: no limit.
    /// </summary>
    [Parameter]
    [ValidateRange(0.000001, 1_000_000)]
    public decimal MaxCost { get; set; }

    /// <summary>
    /// Starts the run even when today's budget (monitoring.maxDailyBudget) is spent, instead of the
    /// terminating ClimuxBudgetExceeded error, and beside another queued or running session in the same
    /// worktree, instead of ClimuxWorktreeBusy; with -Unrestricted, without asking first. It does not lift
    /// the concurrency quotas.
    /// </summary>
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

    /// <summary>
    /// Queues and starts the run, once -WhatIf and -Confirm allow it (<paramref name="action"/> says
    /// what it does); writes its job now, or (with -Wait) its session at the end.
    /// </summary>
    protected void Launch(RunRequest request, string? jobName, string action)
    {
        RunHandle handle;
        try
        {
            // A request that breaks a rule is refused before anyone is asked about it.
            Engine.Runs.Check(request);
            if (!Confirm(request, action))
                return;
            handle = Engine.Runs.Queue(request);
        }
        catch (RunRequestException e)
        {
            var (id, category) = ErrorOf(e.Kind);
            object? target = e.Kind switch
            {
                RunRequestProblem.DependencyNotFound when e.InnerException is SessionNotFoundException missing => missing.Reference,
                RunRequestProblem.SessionActive => request.Resume,
                _ => request.Provider ?? request.Resume?.Id,
            };
            WriteError(new ErrorRecord(e, id, category, target));
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
        // The session is in the queue now: it must start whatever happens next (a host call can
        // throw, Ctrl+C can come), or, first in line, it would hold up every later run.
        ClimuxRunJob? job = null;
        try
        {
            if (Wait)
            {
                handle.Updated += update => _host.Post(() => Show(update));
                _waiting.Add(handle);
            }
            else
            {
                job = new ClimuxRunJob(Engine.Runs, handle, $"{handle.Session.Provider}: {ClimuxSession.Abbreviate(request.Prompt, 60)}", jobName);
                var definition = new JobDefinition(typeof(ClimuxRunJobSourceAdapter), "", job.Name);
                JobManager.NewJob(new JobInvocationInfo(definition, new Dictionary<string, object> { ["Job"] = job }));
            }
        }
        finally
        {
            Engine.Runs.Start(handle);
        }

        if (handle.Budget is { PastAlertThreshold: true } budget && !_warnedBudget)
        {
            _warnedBudget = true;
            WriteWarning($"Climux: {budget.Describe()}; the alert threshold is {budget.AlertThreshold:P0}.");
        }
        if (job is not null)
            WriteObject(job);
    }

    /// <summary>
    /// ShouldProcess for every run (-WhatIf, -Confirm); an unrestricted run also asks as a high-impact
    /// action would, unless -Force, -Confirm:$false or $ConfirmPreference = 'None'.
    /// </summary>
    private bool Confirm(RunRequest request, string action)
    {
        var provider = request.Provider ?? request.Resume?.Provider ?? Engine.Route(request.Config, request.Prompt, preset: request.Preset).Provider;
        var target = $"{provider} in {request.Directory}";
        if (!ShouldProcess(target, request.Options.Unrestricted ? action + " (unrestricted: no sandbox, no permission checks)" : action))
            return false;
        if (!request.Options.Unrestricted || Force || MyInvocation.BoundParameters.ContainsKey("Confirm") ||
            Enum.TryParse<ConfirmImpact>(GetVariableValue("ConfirmPreference")?.ToString(), ignoreCase: true, out var preference) && preference == ConfirmImpact.None)
            return true;
        try
        {
            return ShouldContinue($"{provider} will run in '{request.Directory}' without its sandbox or permission checks (-Unrestricted): it can change or delete " +
                "anything your account can. Start it?", "Unrestricted agent run");
        }
        catch (Exception e) when (e is PSInvalidOperationException or System.Management.Automation.Host.HostException or NotImplementedException)
        {
            // No one can answer (a non-interactive session): refuse, saying how to go on.
            WriteError(new ErrorRecord(new InvalidOperationException(
                    "-Unrestricted asks for confirmation, and this session cannot ask: add -Confirm:$false (or -Force) to start the run without asking.", e),
                ErrorIds.InvalidRunOptions, ErrorCategory.InvalidOperation, target));
            return false;
        }
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
        RunRecords.Show(this, update);
        if (update is RunStatusUpdate { Status: var state } status && !state.IsFinished())
            WriteProgress(new ProgressRecord(Math.Abs(status.SessionId.GetHashCode()) % 100000, $"Climux {status.SessionId}", status.Message));
    }
}
