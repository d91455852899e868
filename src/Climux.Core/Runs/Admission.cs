using Climux.Core.Config;
using Climux.Core.Platform;
using Climux.Core.Quotas;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Microsoft.Data.Sqlite;

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
    /// <summary>It is no longer queued (already finished elsewhere, or deleted).</summary>
    Gone,
}

public sealed record AdmissionDecision(AdmissionVerdict Verdict, string? Reason = null);

/// <summary>
/// Decides, in one <c>BEGIN IMMEDIATE</c> transaction, whether a queued session may start: first
/// reclaims slots whose host process died, then counts running sessions machine-wide and in the
/// session's workspace, and admits it only if it is the oldest queued session that can start.
/// Every process admits in the same kind of transaction, so none can over-admit.
/// </summary>
public sealed class Admission(ClimuxStore store, ClimuxConfig config)
{
    private ConcurrencyConfig Limits => config.Concurrency;

    public AdmissionDecision TryAdmit(string sessionId)
    {
        // Most looks end in "wait". Decide that from a read, which never takes the write lock, so
        // a hundred queued runs woken at once do not all line up for it; only a likely admission
        // (or a slot to reclaim) goes on to the write transaction, which decides again.
        var preview = store.Read(connection =>
            (Decision: Decide(connection, null, sessionId), Orphans: FindOrphans(connection, null).Count > 0));
        if (preview.Decision.Verdict == AdmissionVerdict.Wait && !preview.Orphans)
            return preview.Decision;

        return store.Write((connection, transaction) =>
        {
            ReclaimOrphans(connection, transaction);
            var decision = Decide(connection, transaction, sessionId);
            if (decision.Verdict == AdmissionVerdict.Admitted)
            {
                using var admit = SessionRepository.Command(connection, transaction,
                    "UPDATE sessions SET status = 'Running', started_at = $now WHERE id = $id AND status = 'Queued'",
                    ("$id", sessionId), ("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                admit.ExecuteNonQuery();
            }
            return decision;
        });
    }

    /// <summary>What admission would say now; changes nothing.</summary>
    private AdmissionDecision Decide(SqliteConnection connection, SqliteTransaction? transaction, string sessionId)
    {
        var queued = QueuedSessions(connection, transaction);
        var me = queued.FirstOrDefault(q => q.Id == sessionId);
        if (me is null)
            return new AdmissionDecision(AdmissionVerdict.Gone);
        if (me.StopRequested is { } reason)
            return new AdmissionDecision(AdmissionVerdict.Stop, reason);

        var dependencies = DependencyStates(connection, transaction, me.DependsOn);
        if (dependencies.FirstOrDefault(d => d.Status is null || d.Status.Value.IsFinished() && d.Status != SessionStatus.Completed) is { Id: not null } failed)
            return new AdmissionDecision(AdmissionVerdict.DependencyFailed, failed.Status is null
                ? $"dependency {failed.Id} no longer exists"
                : $"dependency {failed.Id} ended {failed.Status}");

        var budget = Budget.Today(connection, transaction, config.Monitoring);
        if (!me.Force && budget.IsSpent)
            return new AdmissionDecision(AdmissionVerdict.BudgetSpent, budget.Describe());

        var (running, runningByWorkspace) = RunningCounts(connection, transaction);
        bool FitsQuota(QueuedSession q) =>
            running < Limits.MaxActiveSessions &&
            (q.Workspace is null || runningByWorkspace.GetValueOrDefault(q.Workspace) < Limits.MaxSessionsPerWorkspace);
        bool Ready(QueuedSession q) => q.StopRequested is null && (q.Force || !budget.IsSpent) &&
            DependencyStates(connection, transaction, q.DependsOn).All(d => d.Status == SessionStatus.Completed);

        // FIFO: the oldest queued session that could start now goes first, whichever process owns it.
        var first = queued.FirstOrDefault(q => FitsQuota(q) && (q.Id == sessionId ? dependencies.All(d => d.Status == SessionStatus.Completed) : Ready(q)));
        return new AdmissionDecision(first?.Id == sessionId ? AdmissionVerdict.Admitted : AdmissionVerdict.Wait);
    }

    /// <summary>
    /// Marks Orphaned every queued or running session whose host process is gone, killing its
    /// agent's process tree if that still runs. Returns how many it reclaimed.
    /// </summary>
    public static int ReclaimOrphans(ClimuxStore store) =>
        store.Read(connection => FindOrphans(connection, null).Count) == 0 ? 0 : store.Write(ReclaimOrphans);

    private static int ReclaimOrphans(SqliteConnection connection, SqliteTransaction transaction)
    {
        var orphans = FindOrphans(connection, transaction);
        foreach (var orphan in orphans)
        {
            if (orphan.Pid is { } pid)
                new ProcessIdentity(pid, orphan.PidStart ?? 0).KillTree();
            using var update = SessionRepository.Command(connection, transaction, """
                UPDATE sessions SET status = 'Orphaned', ended_at = $now, pid = NULL,
                    error = COALESCE(error, $error)
                WHERE id = $id AND status IN ('Queued', 'Running')
                """, ("$id", orphan.Id), ("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
                ("$error", $"The PowerShell process that ran it (pid {orphan.HostPid}) exited before it finished."));
            update.ExecuteNonQuery();
        }
        return orphans.Count;
    }

    /// <summary>Queued or running sessions whose host process is gone (pid and start time no longer match).</summary>
    private static List<(string Id, int HostPid, int? Pid, long? PidStart)> FindOrphans(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var orphans = new List<(string Id, int HostPid, int? Pid, long? PidStart)>();
        using var select = SessionRepository.Command(connection, transaction,
            "SELECT id, host_pid, host_start, pid, pid_start FROM sessions WHERE status IN ('Queued', 'Running') AND host_pid IS NOT NULL");
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            var host = new ProcessIdentity(reader.GetInt32(1), reader.IsDBNull(2) ? 0 : reader.GetInt64(2));
            if (host == ProcessIdentity.Current || host.IsAlive)
                continue;
            orphans.Add((reader.GetString(0), host.Pid, reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }
        return orphans;
    }

    private sealed record QueuedSession(string Id, string? Workspace, string[] DependsOn, string? StopRequested, bool Force);

    private static List<QueuedSession> QueuedSessions(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = SessionRepository.Command(connection, transaction,
            "SELECT id, workspace, depends_on, stop_requested, options FROM sessions WHERE status = 'Queued' ORDER BY queued_at, rowid");
        using var reader = command.ExecuteReader();
        var list = new List<QueuedSession>();
        while (reader.Read())
            list.Add(new QueuedSession(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? [] : reader.GetString(2).Split(' ', StringSplitOptions.RemoveEmptyEntries),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                !reader.IsDBNull(4) && System.Text.Json.JsonSerializer.Deserialize<RunOptions>(reader.GetString(4))?.Force == true));
        return list;
    }

    private static List<(string Id, SessionStatus? Status)> DependencyStates(SqliteConnection connection, SqliteTransaction? transaction, string[] ids)
    {
        var states = new List<(string, SessionStatus?)>();
        foreach (var id in ids)
        {
            using var command = SessionRepository.Command(connection, transaction, "SELECT status FROM sessions WHERE id = $id", ("$id", id));
            states.Add((id, command.ExecuteScalar() is string status ? Enum.Parse<SessionStatus>(status) : null));
        }
        return states;
    }

    private static (int Total, Dictionary<string, int> ByWorkspace) RunningCounts(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = SessionRepository.Command(connection, transaction,
            "SELECT workspace, count(*) FROM sessions WHERE status = 'Running' GROUP BY workspace");
        using var reader = command.ExecuteReader();
        var total = 0;
        var byWorkspace = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var count = reader.GetInt32(1);
            total += count;
            if (!reader.IsDBNull(0))
                byWorkspace[reader.GetString(0)] = count;
        }
        return (total, byWorkspace);
    }
}
