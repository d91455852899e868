namespace Climux.Core.Store;

/// <summary>
/// The SQLite schema, as the ordered steps that build it. Never edit a released step: add the next
/// one. Times are Unix milliseconds (UTC); money is USD.
/// </summary>
public static class SqliteSchema
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "sessions, events, worktrees, aliases, provider cache", """
            CREATE TABLE sessions (
                id                 TEXT PRIMARY KEY,
                name               TEXT,
                provider           TEXT NOT NULL,
                model              TEXT,
                mode               TEXT NOT NULL,
                status             TEXT NOT NULL,
                prompt             TEXT NOT NULL,
                workspace          TEXT,
                worktree           TEXT,
                directory          TEXT NOT NULL,
                branch             TEXT,
                base_commit        TEXT,
                native_session_id  TEXT,
                parent_id          TEXT REFERENCES sessions(id) ON DELETE SET NULL,
                depends_on         TEXT,
                options            TEXT,
                stop_requested     TEXT,
                host_pid           INTEGER,
                host_start         INTEGER,
                pid                INTEGER,
                pid_start          INTEGER,
                exit_code          INTEGER,
                queued_at          INTEGER NOT NULL,
                started_at         INTEGER,
                ended_at           INTEGER,
                input_tokens       INTEGER NOT NULL DEFAULT 0,
                output_tokens      INTEGER NOT NULL DEFAULT 0,
                cache_read_tokens  INTEGER NOT NULL DEFAULT 0,
                cache_write_tokens INTEGER NOT NULL DEFAULT 0,
                cost_usd           REAL NOT NULL DEFAULT 0,
                cost_source        TEXT,
                turns              INTEGER NOT NULL DEFAULT 0,
                files_changed      INTEGER,
                lines_added        INTEGER,
                lines_removed      INTEGER,
                result             TEXT,
                error              TEXT,
                log_path           TEXT
            );
            CREATE INDEX sessions_by_status ON sessions(status, queued_at);
            CREATE INDEX sessions_by_workspace ON sessions(workspace, status);
            CREATE INDEX sessions_by_queued ON sessions(queued_at);
            CREATE INDEX sessions_by_parent ON sessions(parent_id);

            CREATE TABLE events (
                session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                seq        INTEGER NOT NULL,
                at         INTEGER NOT NULL,
                kind       TEXT NOT NULL,
                role       TEXT,
                tool       TEXT,
                text       TEXT,
                data       TEXT,
                PRIMARY KEY (session_id, seq)
            ) WITHOUT ROWID;

            CREATE TABLE worktrees (
                workspace   TEXT NOT NULL,
                name        TEXT NOT NULL,
                path        TEXT NOT NULL,
                branch      TEXT,
                base_ref    TEXT,
                base_commit TEXT,
                created_at  INTEGER NOT NULL,
                PRIMARY KEY (workspace, name)
            );

            CREATE TABLE aliases (
                alias      TEXT PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE
            );
            CREATE INDEX aliases_by_session ON aliases(session_id);

            CREATE TABLE provider_cache (
                path       TEXT PRIMARY KEY,
                file_time  INTEGER NOT NULL,
                file_size  INTEGER NOT NULL,
                version    TEXT,
                note       TEXT,
                checked_at INTEGER NOT NULL
            );
            """),
        new(2, "covering index for stats and budgets", """
            -- Get-ClimuxStats and the daily budget read only these columns over a range of queued_at:
            -- with all of them in the index, a year of sessions is read without touching the table.
            CREATE INDEX sessions_for_stats ON sessions(queued_at, provider, model, workspace, worktree, status,
                started_at, ended_at, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd);
            DROP INDEX sessions_by_queued;
            """),
        new(3, "host, fallback and lease columns", """
            -- The machine that runs a session (Host), the rate-limited session a fallback run continues
            -- (FallbackOf), and when a running session's lease runs out (for stores shared across machines).
            ALTER TABLE sessions ADD COLUMN host TEXT;
            ALTER TABLE sessions ADD COLUMN fallback_of TEXT;
            ALTER TABLE sessions ADD COLUMN lease_expires_at INTEGER;
            CREATE INDEX sessions_by_fallback ON sessions(fallback_of) WHERE fallback_of IS NOT NULL;
            """),
        // Generated from StatsRollups: change that code only together with a new step.
        new(StatsRollupsVersion, "stats rollups kept by triggers, backfilled", StatsRollups.SqliteMigration()),
    ];

    /// <summary>The step that adds the rollups Get-ClimuxStats reads (<see cref="StatsRollups"/>).</summary>
    public const int StatsRollupsVersion = 4;

    public static int Latest => All[^1].Version;
}
