using Climux.Core.Config;
using Climux.Core.Platform;
using Climux.Core.Quotas;
using Climux.Core.Sessions;
using Climux.Core.Store;

namespace Climux.Core.Runs;

public enum AdmissionVerdict
{
    /// <summary>The session holds a slot now: start it.</summary>
    Admitted,
    /// <summary>No slot for it yet (quota, an older session first, or dependencies still running).</summary>
    Wait,
    /// <summary>Someone asked it to stop while it waited.</summary>
    Stop,
    /// <summary>A session it depends on did not complete.</summary>
    DependencyFailed,
    /// <summary>Today's budget was spent while it waited (and it was not started with -Force).</summary>
    BudgetSpent,
    /// <summary>It is no longer queued (already finished elsewhere, or its row is gone).</summary>
    Gone,
}

public sealed record AdmissionDecision(AdmissionVerdict Verdict, string? Reason = null);

/// <summary>The decision, and the orphans the same transaction reclaimed (their agents still to be killed).</summary>
public sealed record AdmissionResult(AdmissionDecision Decision, IReadOnlyList<Orphan> Reclaimed);

/// <summary>A queued or running session as admission and orphan reclaim see it.</summary>
public sealed record ActiveSession
{
    public required string Id { get; init; }
    public SessionStatus Status { get; init; }
    public string? Workspace { get; init; }
    /// <summary>What the workspace limit counts by: the repository's identity in a shared store, else the workspace folder.</summary>
    public string? WorkspaceKey { get; init; }
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public string? StopRequested { get; init; }
    /// <summary>Started with -Force: it may start with the daily budget spent.</summary>
    public bool Force { get; init; }
    /// <summary>The machine its host process runs on; null for rows written before hosts were recorded (this machine).</summary>
    public string? Host { get; init; }
    public ProcessIdentity? HostProcess { get; init; }
    public ProcessIdentity? Agent { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
}

/// <summary>What the store holds under its lock when admission decides: the live sessions in FIFO order, the states of their dependencies, today's spend.</summary>
public sealed record AdmissionSnapshot(IReadOnlyList<ActiveSession> Active, IReadOnlyDictionary<string, SessionStatus> Dependencies, decimal SpentToday);

/// <summary>A session whose host is gone, with why; <see cref="Agent"/> is its agent when it ran on this machine.</summary>
public sealed record Orphan(string Id, string Error, ProcessIdentity? Agent);

/// <summary>
/// Which live sessions have lost their host: on this machine, a host process that is no longer
/// running (pid and start time, so a reused pid is not mistaken for it); on another machine, a
/// lease that has run out.
/// </summary>
public sealed class OrphanPolicy(string hostName, ProcessIdentity self, DateTimeOffset now)
{
    public DateTimeOffset Now => now;

    public IReadOnlyList<Orphan> Find(IEnumerable<ActiveSession> sessions)
    {
        var orphans = new List<Orphan>();
        foreach (var session in sessions)
        {
            if (session.Host is { } host && !string.Equals(host, hostName, StringComparison.OrdinalIgnoreCase))
            {
                if (session.LeaseExpiresAt is { } expiry && expiry < now)
                    orphans.Add(new Orphan(session.Id, $"Its host {host} stopped renewing its lease (it ran out at {expiry:u}).", null));
                continue;
            }
            if (session.HostProcess is not { } process || process == self || process.IsAlive)
                continue;
            orphans.Add(new Orphan(session.Id, $"The process that ran it (pid {process.Pid}) exited before it finished.", session.Agent));
        }
        return orphans;
    }

    /// <summary>Kills what is left of the orphans' agents on this machine.</summary>
    public static void KillAgents(IEnumerable<Orphan> orphans)
    {
        foreach (var orphan in orphans)
            orphan.Agent?.KillTree();
    }
}

/// <summary>
/// The admission rules, decided on a snapshot the store takes under its lock: a queued session
/// starts only when it is the oldest queued session that can start now (FIFO, whichever process
/// owns it), the machine and its workspace have a free slot, its dependencies have completed, and
/// today's budget is not spent (unless it was forced).
/// </summary>
public sealed class AdmissionPolicy(ClimuxConfig config, OrphanPolicy orphans)
{
    private ConcurrencyConfig Limits => config.Concurrency;

    public OrphanPolicy Orphans => orphans;

    /// <summary>The start of the local day whose spend counts against the budget.</summary>
    public DateTimeOffset DayStart => DateTimeOffset.FromUnixTimeMilliseconds(Budget.StartOfLocalDay(orphans.Now));

    public AdmissionDecision Decide(AdmissionSnapshot snapshot, string sessionId)
    {
        var queued = snapshot.Active.Where(s => s.Status == SessionStatus.Queued).ToList();
        var me = queued.FirstOrDefault(q => q.Id == sessionId);
        if (me is null)
            return new AdmissionDecision(AdmissionVerdict.Gone);
        if (me.StopRequested is { } reason)
            return new AdmissionDecision(AdmissionVerdict.Stop, reason);

        SessionStatus? StateOf(string id) => snapshot.Dependencies.TryGetValue(id, out var status) ? status : null;
        foreach (var dependency in me.DependsOn)
        {
            var state = StateOf(dependency);
            if (state is null)
                return new AdmissionDecision(AdmissionVerdict.DependencyFailed, $"dependency {dependency} no longer exists");
            if (state.Value.IsFinished() && state != SessionStatus.Completed)
                return new AdmissionDecision(AdmissionVerdict.DependencyFailed, $"dependency {dependency} ended {state}");
        }

        var budget = new BudgetState(snapshot.SpentToday, config.Monitoring.MaxDailyBudget, config.Monitoring.AlertThreshold);
        if (!me.Force && budget.IsSpent)
            return new AdmissionDecision(AdmissionVerdict.BudgetSpent, budget.Describe());

        var running = snapshot.Active.Where(s => s.Status == SessionStatus.Running).ToList();
        var runningByWorkspace = running.Where(s => s.WorkspaceKey is not null).GroupBy(s => s.WorkspaceKey!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        bool FitsQuota(ActiveSession q) =>
            running.Count < Limits.MaxActiveSessions &&
            (q.WorkspaceKey is null || runningByWorkspace.GetValueOrDefault(q.WorkspaceKey) < Limits.MaxSessionsPerWorkspace);
        bool Ready(ActiveSession q) => q.StopRequested is null && (q.Force || !budget.IsSpent) &&
            q.DependsOn.All(d => StateOf(d) == SessionStatus.Completed);

        var first = queued.FirstOrDefault(q => FitsQuota(q) && Ready(q));
        return new AdmissionDecision(first?.Id == sessionId ? AdmissionVerdict.Admitted : AdmissionVerdict.Wait);
    }
}
