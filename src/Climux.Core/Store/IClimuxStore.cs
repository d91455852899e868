using Climux.Core.Agents;
using Climux.Core.Providers;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Stats;
using Climux.Core.Worktrees;

namespace Climux.Core.Store;

/// <summary>
/// Everything Climux keeps, as domain operations: sessions and their transcripts, admission
/// decisions, usage, worktree records and the provider version cache. Each implementation holds
/// the SQL of one database; the rules (FIFO, quotas, dependencies, budget, orphans) stay in Core
/// and reach the store as policies it consults under its lock.
/// Failures of the database itself surface as <see cref="StoreCorruptException"/> or
/// <see cref="StoreUnavailableException"/>, naming the store and how to recover.
/// </summary>
public interface IClimuxStore : IDisposable
{
    /// <summary>What error messages and Test-ClimuxStore name: the database file, or the server and database.</summary>
    string Location { get; }

    /// <summary>Several machines share it (PostgreSQL): limits and budgets hold for all of them, and hosts keep leases on their sessions.</summary>
    bool IsShared { get; }

    // Sessions

    /// <summary>Queues a new session under a fresh id.</summary>
    /// <exception cref="DirectoryBusyException">The session wants its folder to itself and another active session is there.</exception>
    ClimuxSession Insert(NewSession session);

    ClimuxSession? Get(string id);

    /// <summary>
    /// The session an id, a name, or an unambiguous id prefix (4 characters or more) stands for.
    /// Throws <see cref="SessionNotFoundException"/> when none or several match.
    /// </summary>
    ClimuxSession Resolve(string reference);

    /// <summary>Sessions that pass the filter, oldest first.</summary>
    IReadOnlyList<ClimuxSession> Find(SessionFilter filter);

    /// <summary>Records the started agent. False when the session's row is gone.</summary>
    bool MarkRunning(string id, AgentStart agent);

    /// <summary>Records what a running session has used so far. False when the row is gone.</summary>
    bool UpdateProgress(string id, SessionProgress progress);

    /// <summary>Records how the session ended. False when the row is gone.</summary>
    bool Finish(string id, SessionOutcome outcome);

    /// <summary>
    /// Writes a whole session as it is given unless a session with its id exists: the host of a run
    /// whose row vanished writes it again, and a copy between stores brings rows over. A parent
    /// that does not exist in this store is left out. True when it wrote the row.
    /// </summary>
    bool Restore(ClimuxSession session);

    /// <summary>As <see cref="Restore"/> for many sessions, in one transaction; returns how many it wrote.</summary>
    int RestoreAll(IEnumerable<ClimuxSession> sessions);

    /// <summary>Notes that someone asked the session to stop; false when it has already finished (or is gone).</summary>
    bool RequestStop(string id, string reason);

    string? StopRequested(string id);

    /// <summary>Deletes the session, its transcript and its aliases; children keep their records with no parent.</summary>
    bool Delete(string id);

    // Transcripts

    /// <summary>Stores transcript entries numbered from <paramref name="firstSequence"/>. False when the session's row is gone.</summary>
    bool AppendEvents(string id, long firstSequence, IReadOnlyList<TranscriptEntry> entries);

    /// <summary>The session's transcript after <paramref name="afterSequence"/>, in order.</summary>
    IReadOnlyList<ClimuxSessionEvent> Events(string id, long afterSequence = 0);

    // Decisions: one write transaction each, the rules from Core

    /// <summary>
    /// In one transaction that no other admission can interleave with: marks orphans (as
    /// <paramref name="policy"/> finds them), then lets the policy decide on a snapshot of the queue
    /// and admits the session (status Running) when it says so.
    /// </summary>
    AdmissionResult Admit(string sessionId, AdmissionPolicy policy);

    /// <summary>
    /// Extends to <paramref name="until"/> the lease of every queued and running session that
    /// <paramref name="process"/> on <paramref name="host"/> hosts; returns how many.
    /// </summary>
    int RenewLeases(string host, Platform.ProcessIdentity process, DateTimeOffset until);

    /// <summary>Marks Orphaned the active sessions the policy finds orphaned; returns them (their agents are for the caller to kill).</summary>
    IReadOnlyList<Orphan> ReclaimOrphans(OrphanPolicy policy);

    // Usage

    /// <summary>USD of the sessions queued since <paramref name="start"/> (negative costs count as 0).</summary>
    decimal SpentSince(DateTimeOffset start);

    /// <summary>Usage and cost of the sessions queued in [from, to), grouped; local days in <paramref name="zone"/>.</summary>
    IReadOnlyList<ClimuxStatsRow> Stats(StatsGrouping by, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? providers, TimeZoneInfo zone, string? workspace = null);

    /// <summary>Queued and running sessions, oldest first, with just what counting needs.</summary>
    IReadOnlyList<SessionLoad> ActiveLoad();

    // Worktrees

    void SaveWorktree(WorktreeRecord record);

    IReadOnlyList<WorktreeRecord> Worktrees(string workspace);

    void RemoveWorktree(string workspace, string path);

    /// <summary>Sessions per folder of the workspace (the key has no trailing separator).</summary>
    IReadOnlyDictionary<string, WorktreeSessionCount> SessionCountsByDirectory(string workspace);

    // Provider version cache

    ProviderVersion? CachedVersion(string key, long fileTime, long fileSize);

    void CacheVersion(string key, long fileTime, long fileSize, ProviderVersion version);

    // Team settings (a shared store only)

    /// <summary>The team settings document (YAML); null when there is none or the store is not shared.</summary>
    string? TeamConfig();

    /// <summary>Replaces the team settings document.</summary>
    /// <exception cref="InvalidOperationException">The store is not shared.</exception>
    void SaveTeamConfig(string yaml);

    // Health

    /// <summary>Checks the database's integrity now; never throws for a damaged or unreachable store.</summary>
    ClimuxStoreCheck Check();
}

/// <summary>A queued or running session, for counting.</summary>
public sealed record SessionLoad(string Id, SessionStatus Status, string? Workspace);

/// <summary>The agent process as it starts.</summary>
public sealed record AgentStart(Platform.ProcessIdentity Agent, string? BaseCommit, string? Branch, string LogPath, string? NativeSessionId, DateTimeOffset? LeaseExpiresAt = null);

/// <summary>Session counts of one folder.</summary>
public sealed record WorktreeSessionCount(int Active, int Total, DateTimeOffset? LastActivity);
