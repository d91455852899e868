using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Export;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Store;

namespace Climux.Core.Sessions;

/// <summary>
/// The sessions of an engine's store, wherever they run: in this process, in another process on
/// the machine, or (with a shared store) on another machine. Look them up, wait for them, stop
/// them, read their transcripts, export and delete them.
/// </summary>
public sealed class SessionService
{
    /// <summary>How often a waiter looks at the store without being woken.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>How often a followed transcript is read again.</summary>
    public static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    private readonly ClimuxEngine _engine;

    internal SessionService(ClimuxEngine engine) => _engine = engine;

    private IClimuxStore Store => _engine.Store;

    public ClimuxSession? Get(string id) => Store.Get(id);

    /// <summary>The session an id, a name, or an unambiguous id prefix (4 characters or more) stands for.</summary>
    /// <exception cref="SessionNotFoundException">None, or several, match.</exception>
    public ClimuxSession Resolve(string reference) => Store.Resolve(reference);

    /// <summary>The sessions that pass the filter, oldest first, after marking Orphaned those whose host has died (so what is shown is true).</summary>
    public IReadOnlyList<ClimuxSession> Find(SessionFilter filter)
    {
        _engine.ReclaimOrphans();
        return Store.Find(filter);
    }

    /// <summary>The transcript after <paramref name="afterSequence"/>, in order.</summary>
    public IReadOnlyList<ClimuxSessionEvent> Events(string id, long afterSequence = 0) => Store.Events(id, afterSequence);

    /// <summary>
    /// The transcript so far and, with <paramref name="follow"/>, each new entry as it is stored until
    /// the session ends (or <paramref name="cancellation"/>). Blocks between entries, on the caller's thread.
    /// </summary>
    public IEnumerable<ClimuxSessionEvent> Log(string id, bool follow, CancellationToken cancellation = default)
    {
        long last = 0;
        var looks = 0;
        while (true)
        {
            // Now and then, as every Climux command does: a session whose host died ends Orphaned.
            if (follow && looks++ % 20 == 0)
                _engine.ReclaimOrphans();
            var finished = Store.Get(id) is not { IsFinished: false };
            foreach (var e in Store.Events(id, last))
            {
                last = e.Sequence;
                yield return e;
            }
            if (!follow || finished)
                yield break;
            try
            {
                Task.Delay(FollowInterval, cancellation).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>The session and its transcript as Markdown or JSON, with the config's provider secrets and known key shapes redacted.</summary>
    public string Export(ClimuxSession session, ExportFormat format, ClimuxConfig config) =>
        new SessionExporter(SecretRedactor.ForEnvironment(config.Providers.Values.SelectMany(p => p.Env)))
            .Export(session, Store.Events(session.Id), format);

    /// <summary>
    /// Stops a queued or running session: a run of this engine is stopped directly; one of another
    /// process gets a stop request and its agent's process tree is killed; one whose process has
    /// died is marked at once. Returns the session once it has finished, or as it is after
    /// <paramref name="wait"/> (callers check <see cref="ClimuxSession.IsFinished"/>).
    /// </summary>
    public async Task<ClimuxSession> StopAsync(string sessionId, string reason, TimeSpan wait, CancellationToken cancellation = default)
    {
        var session = Store.Get(sessionId) ?? throw new SessionNotFoundException(sessionId, $"No session '{sessionId}'.");
        if (session.IsFinished)
            return session;

        if (_engine.Runs.Find(sessionId) is { } local)
        {
            local.Stop(reason);
            try
            {
                return await local.Completion.WaitAsync(wait, cancellation).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return Store.Get(sessionId) ?? session;
            }
        }

        Store.RequestStop(sessionId, reason);
        _engine.Signal.Notify();
        session = Store.Get(sessionId) ?? session;
        if (session.IsFinished)
            return session;
        var onThisMachine = session.Host is null || string.Equals(session.Host, _engine.HostName, StringComparison.OrdinalIgnoreCase);
        if (onThisMachine)
        {
            var host = session.HostPid is { } hostPid ? new ProcessIdentity(hostPid, session.HostStart ?? 0) : (ProcessIdentity?)null;
            var agent = session.Pid is { } pid ? new ProcessIdentity(pid, session.PidStart ?? 0) : (ProcessIdentity?)null;
            agent?.KillTree();
            if (host is null || !host.Value.IsAlive)
                Store.Finish(sessionId, new SessionOutcome(SessionStatus.Stopped, null, null, reason, null, null));
            // A run not started yet, or started a moment ago, is stopped by its own process, which watches for the request.
        }

        var finished = await WaitAsync([sessionId], any: false, wait, null, cancellation).ConfigureAwait(false);
        return finished.SingleOrDefault() ?? session;
    }

    /// <summary>
    /// Waits until all (or, with <paramref name="any"/>, one) of the sessions have finished, or
    /// <paramref name="timeout"/> passes; returns them as they are then. Woken by the store's
    /// signal, so it does not spin.
    /// </summary>
    public async Task<IReadOnlyList<ClimuxSession>> WaitAsync(IReadOnlyList<string> sessionIds, bool any, TimeSpan? timeout,
        Action<IReadOnlyList<ClimuxSession>>? onProgress, CancellationToken cancellation = default)
    {
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        var lastReclaim = DateTime.MinValue;
        while (true)
        {
            var change = _engine.Signal.NextChange;
            if (DateTime.UtcNow - lastReclaim > RunEngine.RecheckInterval)
            {
                _engine.ReclaimOrphans();
                lastReclaim = DateTime.UtcNow;
            }
            var sessions = Store.Find(new SessionFilter { Ids = sessionIds });
            onProgress?.Invoke(sessions);
            var done = any ? sessions.Any(s => s.IsFinished) || sessions.Count == 0 : sessions.All(s => s.IsFinished);
            var left = deadline - DateTime.UtcNow;
            if (done || left <= TimeSpan.Zero)
                return sessions;
            await StoreSignals.WaitAsync(change, left < PollInterval ? left : PollInterval, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Finished sessions that ended (or, without an end, were queued) at least <paramref name="days"/> days ago; 0: every finished session.</summary>
    public IReadOnlyList<ClimuxSession> FinishedOlderThan(double days)
    {
        var cutoff = DateTimeOffset.UtcNow - TimeSpan.FromDays(days);
        var finished = Enum.GetValues<SessionStatus>().Where(s => s.IsFinished()).ToList();
        return [.. Store.Find(new SessionFilter { Statuses = finished }).Where(s => (s.EndedAt ?? s.QueuedAt) <= cutoff)];
    }

    /// <summary>Deletes every finished session older than <paramref name="days"/> days, with its transcript and logs; returns them.</summary>
    public async Task<IReadOnlyList<ClimuxSession>> RemoveOlderThanAsync(double days, CancellationToken cancellation = default)
    {
        var removed = new List<ClimuxSession>();
        foreach (var session in FinishedOlderThan(days))
        {
            if (await DeleteAsync(session.Id, null, TimeSpan.Zero, cancellation).ConfigureAwait(false))
                removed.Add(session);
        }
        return removed;
    }

    /// <summary>
    /// Deletes a session's record, its transcript and its raw logs. A queued or running session is
    /// refused (<see cref="SessionActiveException"/>) unless <paramref name="stopReason"/> is given:
    /// then it is stopped first (<see cref="StopTimeoutException"/> when it does not end within
    /// <paramref name="stopWait"/>). False when there was no such session.
    /// </summary>
    public async Task<bool> DeleteAsync(string sessionId, string? stopReason, TimeSpan stopWait, CancellationToken cancellation = default)
    {
        if (Store.Get(sessionId) is not { } session)
            return false;
        if (!session.IsFinished)
        {
            if (stopReason is null)
                throw new SessionActiveException(session, $"Session {session.Id} is {session.Status}. Stop it first, or use -Force.");
            var stopped = await StopAsync(sessionId, stopReason, stopWait, cancellation).ConfigureAwait(false);
            if (!stopped.IsFinished)
                throw new StopTimeoutException(stopped);
        }
        var deleted = Store.Delete(sessionId);
        if (Directory.Exists(_engine.Home.LogsDirectory))
            foreach (var log in Directory.EnumerateFiles(_engine.Home.LogsDirectory, $"{sessionId}.*.log"))
                File.Delete(log);
        return deleted;
    }

    /// <summary>
    /// Stops every queued or running session in <paramref name="worktree"/>'s folder (before it is
    /// removed by force).
    /// </summary>
    /// <exception cref="StopTimeoutException">One did not end within <paramref name="wait"/>.</exception>
    public async Task StopInAsync(Worktrees.ClimuxWorktree worktree, string reason, TimeSpan wait, CancellationToken cancellation = default)
    {
        foreach (var session in Find(new SessionFilter { Statuses = SessionStatuses.Active, Workspace = worktree.Workspace })
                     .Where(s => s.Directory.TrimEnd('/') == worktree.Path))
            if (await StopAsync(session.Id, reason, wait, cancellation).ConfigureAwait(false) is { IsFinished: false } still)
                throw new StopTimeoutException(still);
    }
}
