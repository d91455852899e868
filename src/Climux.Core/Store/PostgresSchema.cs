namespace Climux.Core.Store;

/// <summary>
/// The PostgreSQL schema, as the ordered steps that build it. Never edit a released step: append
/// the next one. The same tables as <see cref="SqliteSchema"/>: times are Unix milliseconds (UTC),
/// money is USD; ids compare byte by byte (COLLATE "C") so prefix look-ups mean the same as on SQLite.
/// </summary>
public static class PostgresSchema
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "sessions, events, worktrees, aliases, provider cache, settings", """
            CREATE TABLE sessions (
                seq                BIGSERIAL NOT NULL UNIQUE,
                id                 TEXT COLLATE "C" PRIMARY KEY,
                name               TEXT,
                provider           TEXT NOT NULL,
                model              TEXT,
                mode               TEXT NOT NULL,
                status             TEXT NOT NULL,
                prompt             TEXT NOT NULL,
                workspace          TEXT,
                workspace_key      TEXT,
                worktree           TEXT,
                directory          TEXT NOT NULL,
                branch             TEXT,
                base_commit        TEXT,
                native_session_id  TEXT,
                parent_id          TEXT COLLATE "C" REFERENCES sessions(id) ON DELETE SET NULL,
                fallback_of        TEXT COLLATE "C",
                depends_on         TEXT,
                options            TEXT,
                stop_requested     TEXT,
                host               TEXT,
                host_pid           BIGINT,
                host_start         BIGINT,
                pid                BIGINT,
                pid_start          BIGINT,
                lease_expires_at   BIGINT,
                exit_code          BIGINT,
                queued_at          BIGINT NOT NULL,
                started_at         BIGINT,
                ended_at           BIGINT,
                input_tokens       BIGINT NOT NULL DEFAULT 0,
                output_tokens      BIGINT NOT NULL DEFAULT 0,
                cache_read_tokens  BIGINT NOT NULL DEFAULT 0,
                cache_write_tokens BIGINT NOT NULL DEFAULT 0,
                cost_usd           DOUBLE PRECISION NOT NULL DEFAULT 0,
                cost_source        TEXT,
                turns              BIGINT NOT NULL DEFAULT 0,
                files_changed      BIGINT,
                lines_added        BIGINT,
                lines_removed      BIGINT,
                result             TEXT,
                error              TEXT,
                log_path           TEXT
            );
            CREATE INDEX sessions_active ON sessions(seq) WHERE status IN ('Queued', 'Running');
            CREATE INDEX sessions_by_workspace ON sessions(workspace, status);
            CREATE INDEX sessions_by_parent ON sessions(parent_id);
            CREATE INDEX sessions_by_fallback ON sessions(fallback_of) WHERE fallback_of IS NOT NULL;
            CREATE INDEX sessions_for_stats ON sessions(queued_at) INCLUDE (provider, model, workspace, worktree, status,
                started_at, ended_at, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd);

            CREATE TABLE events (
                session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                seq        BIGINT NOT NULL,
                at         BIGINT NOT NULL,
                kind       TEXT NOT NULL,
                role       TEXT,
                tool       TEXT,
                text       TEXT,
                data       TEXT,
                PRIMARY KEY (session_id, seq)
            );

            CREATE TABLE worktrees (
                workspace   TEXT NOT NULL,
                name        TEXT NOT NULL,
                path        TEXT NOT NULL,
                branch      TEXT,
                base_ref    TEXT,
                base_commit TEXT,
                created_at  BIGINT NOT NULL,
                PRIMARY KEY (workspace, name)
            );

            CREATE TABLE aliases (
                alias      TEXT COLLATE "C" PRIMARY KEY,
                session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions(id) ON DELETE CASCADE
            );
            CREATE INDEX aliases_by_session ON aliases(session_id);

            CREATE TABLE provider_cache (
                path       TEXT PRIMARY KEY,
                file_time  BIGINT NOT NULL,
                file_size  BIGINT NOT NULL,
                version    TEXT,
                note       TEXT,
                checked_at BIGINT NOT NULL
            );

            -- Team settings (Set-ClimuxConfig -Scope Store): dotted key, its YAML scalar value.
            CREATE TABLE settings (
                key        TEXT PRIMARY KEY,
                value      TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            """),
    ];

    public static int Latest => All[^1].Version;
}
