using Climux.Core.Paths;
using Climux.Core.Platform;
using Climux.Core.Sessions;
using Climux.Core.Store;

namespace Climux.Core.Runs;

/// <summary>Stops and waits for sessions, wherever they run: in this process or in another.</summary>
public static class SessionControl
{
    /// <summary>How often a waiter looks at the store without being woken.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Stops a queued or running session: a run of this process is stopped directly; one of
    /// another process gets a stop request and its agent's process tree is killed; one whose
    /// process has died is marked at once. Returns the session once it has finished (or as it
    /// is after <paramref name="wait"/>: callers check <see cref="ClimuxSession.IsFinished"/>).
    /// </summary>
    public static async Task<ClimuxSession> StopAsync(ClimuxHome home, string sessionId, string reason, TimeSpan wait, CancellationToken cancellation = default)
    {
        var repository = new SessionRepository(ClimuxStore.Open(home));
        var session = repository.Get(sessionId) ?? throw new SessionNotFoundException(sessionId, $"No session '{sessionId}'.");
        if (session.IsFinished)
            return session;

        if (RunEngine.Shared.Find(sessionId) is { } local)
        {
            local.Stop(reason);
            try
            {
                return await local.Completion.WaitAsync(wait, cancellation).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return repository.Get(sessionId) ?? session;
            }
        }

        repository.RequestStop(sessionId, reason);
        StoreSignal.For(home).Notify();
        session = repository.Get(sessionId) ?? session;
        if (session.IsFinished)
            return session;
        var host = session.HostPid is { } hostPid ? new ProcessIdentity(hostPid, session.HostStart ?? 0) : (ProcessIdentity?)null;
        if (host is null || !host.Value.IsAlive)
        {
            if (session.Pid is { } orphanPid)
                new ProcessIdentity(orphanPid, session.PidStart ?? 0).KillTree();
            repository.Finish(sessionId, new SessionOutcome(SessionStatus.Stopped, null, null, reason, null, null));
        }
        else if (session.Pid is { } pid)
            new ProcessIdentity(pid, session.PidStart ?? 0).KillTree();
        // A run not started yet, or started a moment ago, is stopped by its own process, which watches for the request.

        var finished = await WaitAsync(home, [sessionId], any: false, wait, null, cancellation).ConfigureAwait(false);
        return finished.Single();
    }

    /// <summary>
    /// Waits until all (or, with <paramref name="any"/>, one) of the sessions have finished, or
    /// <paramref name="timeout"/> passes; returns them as they are then. Woken by the store's
    /// signal, so it does not spin.
    /// </summary>
    public static async Task<IReadOnlyList<ClimuxSession>> WaitAsync(ClimuxHome home, IReadOnlyList<string> sessionIds, bool any,
        TimeSpan? timeout, Action<IReadOnlyList<ClimuxSession>>? onProgress, CancellationToken cancellation = default)
    {
        var store = ClimuxStore.Open(home);
        var repository = new SessionRepository(store);
        var signal = StoreSignal.For(home);
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        var lastReclaim = DateTime.MinValue;
        while (true)
        {
            var change = signal.NextChange;
            if (DateTime.UtcNow - lastReclaim > RunEngine.RecheckInterval)
            {
                Admission.ReclaimOrphans(store);
                lastReclaim = DateTime.UtcNow;
            }
            var sessions = repository.Find(new SessionFilter { Ids = sessionIds });
            onProgress?.Invoke(sessions);
            var done = any ? sessions.Any(s => s.IsFinished) || sessions.Count == 0 : sessions.All(s => s.IsFinished);
            var left = deadline - DateTime.UtcNow;
            if (done || left <= TimeSpan.Zero)
                return sessions;
            await StoreSignal.WaitAsync(change, left < PollInterval ? left : PollInterval, cancellation).ConfigureAwait(false);
        }
    }
}
