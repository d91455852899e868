using Climux.Core.Sessions;

namespace Climux.Core.Runs;

/// <summary>Something that happened in a run, for whoever watches it live.</summary>
public abstract record RunUpdate(string SessionId);

public sealed record RunStatusUpdate(string SessionId, SessionStatus Status, string Message) : RunUpdate(SessionId);

public sealed record RunTranscriptUpdate(ClimuxSessionEvent Event) : RunUpdate(Event.SessionId);

public sealed record RunWarningUpdate(string SessionId, string Message) : RunUpdate(SessionId);

/// <summary>A run in this process: watch it, stop it, await its finished session.</summary>
public sealed class RunHandle
{
    private readonly TaskCompletionSource<ClimuxSession> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _kill = new();
    private readonly CancellationTokenSource _wake = new();
    private volatile string? _stopReason;
    private volatile SessionStatus _status = SessionStatus.Queued;
    private int _started;

    private readonly object _gate = new();
    private ClimuxSession _current;

    internal RunHandle(ClimuxSession session, RunEngine.RunPlan plan, Quotas.BudgetState budget)
    {
        Session = session;
        _current = session;
        Plan = plan;
        Budget = budget;
    }

    public string SessionId => Session.Id;

    /// <summary>The session as it was queued.</summary>
    public ClimuxSession Session { get; }

    public SessionStatus Status => _status;

    /// <summary>Today's spend when the run was queued.</summary>
    public Quotas.BudgetState Budget { get; }

    /// <summary>Raised on the run's own thread; handlers must be quick and thread-safe.</summary>
    public event Action<RunUpdate>? Updated;

    /// <summary>The finished session (any final status); never faults.</summary>
    public Task<ClimuxSession> Completion => _completion.Task;

    public string? StopReason => _stopReason;

    /// <summary>Stops the run: a queued one never starts, a running agent's process tree is killed.</summary>
    public void Stop(string reason)
    {
        _stopReason ??= reason;
        _wake.Cancel();
        _kill.Cancel();
        Next?.Stop(reason);
    }

    /// <summary>The session this run went on as, on the next provider, after a rate limit; its end is this run's end.</summary>
    public RunHandle? Next
    {
        get => _next;
        internal set
        {
            _next = value;
            if (_stopReason is { } reason)
                value?.Stop(reason);
        }
    }

    private volatile RunHandle? _next;

    /// <summary>The agent hit its provider's rate limit: the run may go on with the next provider.</summary>
    internal bool RateLimited { get; set; }

    /// <summary>The agent process, once started.</summary>
    internal Platform.ProcessIdentity? Agent { get; set; }

    internal RunEngine.RunPlan Plan { get; }

    /// <summary>The session as this process knows it now: what it writes again if the store loses the row.</summary>
    internal ClimuxSession Current
    {
        get
        {
            lock (_gate)
                return _current;
        }
    }

    internal void Track(Func<ClimuxSession, ClimuxSession> change)
    {
        lock (_gate)
            _current = change(_current);
    }

    internal TranscriptRecorder? Recorder { get; set; }

    /// <summary>True the first time only.</summary>
    internal bool MarkStarted() => Interlocked.Exchange(ref _started, 1) == 0;

    internal CancellationToken KillToken => _kill.Token;
    internal CancellationToken WakeToken => _wake.Token;

    internal void Publish(RunUpdate update)
    {
        if (update is RunStatusUpdate status)
            _status = status.Status;
        try
        {
            Updated?.Invoke(update);
        }
        catch (Exception)
        {
            // A watcher's failure must not break the run it watches.
        }
    }

    internal void Complete(ClimuxSession session) => _completion.TrySetResult(session);
}
