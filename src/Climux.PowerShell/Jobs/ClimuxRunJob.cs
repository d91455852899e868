using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;

namespace Climux.PowerShell.Jobs;

/// <summary>
/// A PowerShell job for one agent run, so Get-Job, Wait-Job, Receive-Job, Stop-Job and
/// Remove-Job work on it. Its output is the finished <see cref="ClimuxSession"/>; the agent's
/// events arrive live on its information stream. The job is NotStarted while the session waits
/// in the queue and Running while the agent runs.
/// </summary>
public sealed class ClimuxRunJob : Job2
{
    public const string JobTypeName = "ClimuxRun";
    private readonly RunEngine _runs;
    private readonly RunHandle _handle;
    private ClimuxSession _session;

    internal ClimuxRunJob(RunEngine runs, RunHandle handle, string command, string? name) : base(command, name ?? handle.SessionId)
    {
        _runs = runs;
        _handle = handle;
        _session = handle.Session;
        PSJobTypeName = JobTypeName;
        Output = new PSDataCollection<PSObject> { EnumeratorNeverBlocks = true };
        Error = new PSDataCollection<ErrorRecord> { EnumeratorNeverBlocks = true };
        Information = new PSDataCollection<InformationRecord> { EnumeratorNeverBlocks = true };
        Warning = new PSDataCollection<WarningRecord> { EnumeratorNeverBlocks = true };
        Verbose = new PSDataCollection<VerboseRecord> { EnumeratorNeverBlocks = true };
        Debug = new PSDataCollection<DebugRecord> { EnumeratorNeverBlocks = true };
        Progress = new PSDataCollection<ProgressRecord> { EnumeratorNeverBlocks = true };
        handle.Updated += OnUpdate;
        handle.Completion.ContinueWith(t => OnFinished(t.Result), TaskScheduler.Default);
    }

    /// <summary>The Climux session this job runs.</summary>
    public string SessionId => _handle.SessionId;

    public string Provider => _session.Provider;

    /// <summary>The session as last seen: as queued, then finished.</summary>
    public ClimuxSession Session => _session;

    public override string Location => _session.Worktree ?? _session.Directory;

    public override string StatusMessage => _handle.Status.ToString();

    public override bool HasMoreData =>
        Output.Count > 0 || Error.Count > 0 || Information.Count > 0 || Warning.Count > 0 ||
        Verbose.Count > 0 || Debug.Count > 0 || Progress.Count > 0;

    public override void StartJob() => _runs.Start(_handle);

    public override void StartJobAsync()
    {
        StartJob();
        OnStartJobCompleted(new System.ComponentModel.AsyncCompletedEventArgs(null, false, this));
    }

    public override void StopJob() => StopJob(false, "Stop-Job");

    public override void StopJob(bool force, string reason)
    {
        _handle.Stop(string.IsNullOrEmpty(reason) ? "Stop-Job" : reason);
        _handle.Completion.Wait(TimeSpan.FromSeconds(30));
    }

    public override void StopJobAsync() => StopJobAsync(false, "Stop-Job");

    public override void StopJobAsync(bool force, string reason) =>
        Task.Run(() =>
        {
            StopJob(force, reason);
            OnStopJobCompleted(new System.ComponentModel.AsyncCompletedEventArgs(null, false, this));
        });

    public override void SuspendJob() => throw new PSNotSupportedException("A Climux run cannot be suspended; stop it and resume the session later.");
    public override void SuspendJob(bool force, string reason) => SuspendJob();
    public override void SuspendJobAsync() => SuspendJob();
    public override void SuspendJobAsync(bool force, string reason) => SuspendJob();
    public override void ResumeJob() => throw new PSNotSupportedException("Use Resume-ClimuxSession to continue a finished session.");
    public override void ResumeJobAsync() => ResumeJob();
    public override void UnblockJob() => throw new PSNotSupportedException("A Climux run is never blocked.");
    public override void UnblockJobAsync() => UnblockJob();

    private void OnUpdate(RunUpdate update)
    {
        try
        {
            switch (update)
            {
                case RunStatusUpdate { Status: SessionStatus.Running } when JobStateInfo.State == JobState.NotStarted:
                    SetJobState(JobState.Running);
                    break;
                case RunTranscriptUpdate transcript:
                    Information.Add(RunRecords.Information(transcript.Event));
                    break;
                case RunWarningUpdate warning:
                    Warning.Add(new WarningRecord(warning.Message));
                    break;
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or PSInvalidOperationException)
        {
            // The job was removed while its run goes on: nobody is listening any more.
        }
    }

    private void OnFinished(ClimuxSession session)
    {
        _session = session;
        try
        {
            Output.Add(PSObject.AsPSObject(session));
            if (RunRecords.FailureOf(session) is { } error)
                Error.Add(error);
            if (JobStateInfo.State == JobState.NotStarted)
                SetJobState(JobState.Running);
            SetJobState(session.Status switch
            {
                SessionStatus.Completed => JobState.Completed,
                SessionStatus.Stopped => JobState.Stopped,
                _ => JobState.Failed,
            });
        }
        catch (Exception e) when (e is ObjectDisposedException or PSInvalidOperationException or InvalidJobStateException)
        {
        }
    }
}
