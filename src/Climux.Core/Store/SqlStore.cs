using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Climux.Core.Agents;
using Climux.Core.Numbers;
using Climux.Core.Platform;
using Climux.Core.Providers;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Stats;
using Climux.Core.Worktrees;

namespace Climux.Core.Store;

/// <summary>
/// The store over ADO.NET: the same SQL for every database, with what differs in its
/// <see cref="StoreDialect"/>. Parameters are named <c>@name</c>; times are Unix milliseconds.
/// </summary>
public sealed class SqlStore : IClimuxStore
{
    private readonly StoreDialect _dialect;

    /// <summary>Opens the store, creating and migrating it when it is new.</summary>
    public SqlStore(StoreDialect dialect)
    {
        _dialect = dialect;
        Read(_ => 0);
    }

    public string Location => _dialect.Location;

    public bool IsShared => _dialect.IsShared;

    internal StoreDialect Dialect => _dialect;

    public void Dispose() => _dialect.Dispose();

    // Sessions

    public ClimuxSession Insert(NewSession session) => Decide((connection, transaction) =>
    {
        if (session.ExclusiveDirectory)
        {
            using var busy = Command(connection, transaction,
                "SELECT id FROM sessions WHERE directory = @directory AND status IN ('Queued', 'Running') LIMIT 1", ("@directory", session.Directory));
            if (busy.ExecuteScalar() is string other)
                throw new DirectoryBusyException(session.Directory, other);
        }
        string id;
        do
            id = SessionIds.New();
        while (Exists(connection, transaction, id));

        var (keyColumn, keyValue) = _dialect.IsShared ? (", workspace_key", ", @workspaceKey") : ("", "");
        using (var command = Command(connection, transaction, $"""
            INSERT INTO sessions (id, name, provider, model, mode, status, prompt, workspace, worktree, directory,
                native_session_id, parent_id, fallback_of, depends_on, options, host, host_pid, host_start, queued_at, lease_expires_at{keyColumn})
            VALUES (@id, @name, @provider, @model, @mode, 'Queued', @prompt, @workspace, @worktree, @directory,
                @native, @parent, @fallback, @depends, @options, @host, @hostPid, @hostStart, @now, @lease{keyValue})
            """,
            ("@id", id), ("@name", session.Name), ("@provider", session.Provider), ("@model", session.Model),
            ("@mode", session.Mode.ToString()), ("@prompt", session.Prompt), ("@workspace", session.Workspace),
            ("@worktree", session.Worktree), ("@directory", session.Directory),
            ("@native", session.NativeSessionId), ("@parent", session.ParentId), ("@fallback", session.FallbackOf),
            ("@depends", session.DependsOn.Count == 0 ? null : string.Join(' ', session.DependsOn)),
            ("@options", session.Options), ("@host", session.Host), ("@hostPid", session.HostProcess?.Pid),
            ("@hostStart", session.HostProcess?.StartTime), ("@now", Now()), ("@lease", session.LeaseExpiresAt?.ToUnixTimeMilliseconds()),
            ("@workspaceKey", session.WorkspaceKey ?? session.Workspace)))
            command.ExecuteNonQuery();
        if (!string.IsNullOrEmpty(session.Name))
            SetAlias(connection, transaction, session.Name, id);
        return Get(connection, transaction, id)!;
    });

    public ClimuxSession? Get(string id) => Read(c => Get(c, null, id));

    public ClimuxSession Resolve(string reference) => Read(connection =>
    {
        if (Get(connection, null, reference) is { } exact)
            return exact;
        using (var alias = Command(connection, null, "SELECT session_id FROM aliases WHERE alias = @alias", ("@alias", reference)))
        {
            if (alias.ExecuteScalar() is string aliased && Get(connection, null, aliased) is { } named)
                return named;
        }
        if (reference.Length >= 4)
        {
            using var prefix = Command(connection, null, "SELECT id FROM sessions WHERE id >= @prefix AND id < @end ORDER BY id LIMIT 2",
                ("@prefix", reference), ("@end", reference + "\uffff"));
            var ids = ReadList(prefix, r => r.GetString(0));
            if (ids.Count == 1)
                return Get(connection, null, ids[0])!;
            if (ids.Count > 1)
                throw new SessionNotFoundException(reference, $"'{reference}' matches several sessions; give more of the id.");
        }
        throw new SessionNotFoundException(reference, $"No session '{reference}'. List them with Get-ClimuxSession.");
    });

    public IReadOnlyList<ClimuxSession> Find(SessionFilter filter) => Read(connection =>
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        void AddIn(string column, IEnumerable<string>? values, string prefix)
        {
            var list = values?.ToList();
            if (list is null || list.Count == 0)
                return;
            var names = list.Select((v, i) => { parameters.Add(($"@{prefix}{i}", v)); return $"@{prefix}{i}"; });
            where.Add($"{column} IN ({string.Join(", ", names)})");
        }
        AddIn("id", filter.Ids, "id");
        AddIn("status", filter.Statuses?.Select(s => s.ToString()), "st");
        AddIn("lower(provider)", filter.Providers?.Select(p => p.ToLowerInvariant()), "pr");
        if (filter.Workspace is not null)
        {
            where.Add("workspace = @workspace");
            parameters.Add(("@workspace", filter.Workspace));
        }
        if (filter.Worktree is not null)
        {
            where.Add("worktree = @worktree");
            parameters.Add(("@worktree", filter.Worktree));
        }
        var order = _dialect.InsertionOrder;
        var sql = $"SELECT *, {order} AS row_order FROM sessions" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "");
        sql = filter.Last is { } last
            ? $"SELECT * FROM ({sql} ORDER BY queued_at DESC, row_order DESC LIMIT {last.ToString(CultureInfo.InvariantCulture)}) AS newest ORDER BY queued_at, row_order"
            : sql + " ORDER BY queued_at, row_order";
        using var command = Command(connection, null, sql, [.. parameters]);
        return ReadSessions(command);
    });

    public bool MarkRunning(string id, AgentStart start) => Execute("""
        UPDATE sessions SET status = 'Running', pid = @pid, pid_start = @pidStart, base_commit = @base, branch = COALESCE(@branch, branch),
            log_path = @log, native_session_id = COALESCE(@native, native_session_id), started_at = COALESCE(started_at, @now),
            lease_expires_at = COALESCE(@lease, lease_expires_at)
        WHERE id = @id
        """, ("@id", id), ("@pid", start.Agent.Pid), ("@pidStart", start.Agent.StartTime), ("@base", start.BaseCommit), ("@branch", start.Branch),
        ("@log", start.LogPath), ("@native", start.NativeSessionId), ("@now", Now()), ("@lease", start.LeaseExpiresAt?.ToUnixTimeMilliseconds())) > 0;

    public bool UpdateProgress(string id, SessionProgress progress) => Read(connection => WriteProgress(connection, null, id, progress));

    public bool Finish(string id, SessionOutcome outcome) => Decide((connection, transaction) =>
    {
        if (outcome.Progress is { } progress && !WriteProgress(connection, transaction, id, progress))
            return false;
        using var command = Command(connection, transaction, """
            UPDATE sessions SET status = @status, exit_code = @exit, result = @result, error = @error, ended_at = @now,
                files_changed = @files, lines_added = @added, lines_removed = @removed, pid = NULL, lease_expires_at = NULL
            WHERE id = @id
            """, ("@id", id), ("@status", outcome.Status.ToString()), ("@exit", outcome.ExitCode), ("@result", outcome.Result),
            ("@error", outcome.Error), ("@now", Now()), ("@files", outcome.Diff?.FilesChanged),
            ("@added", outcome.Diff?.LinesAdded), ("@removed", outcome.Diff?.LinesRemoved));
        return command.ExecuteNonQuery() > 0;
    });

    public bool Restore(ClimuxSession session) => Decide((connection, transaction) => Restore(connection, transaction, session));

    public int RestoreAll(IEnumerable<ClimuxSession> sessions) => Read(connection =>
    {
        int restored;
        using (var transaction = _dialect.BeginDecision(connection))
        {
            restored = sessions.Count(session => Restore(connection, transaction, session));
            transaction.Commit();
        }
        if (restored > 1000)
            _dialect.AfterBulkWrite(connection);
        return restored;
    });

    private static bool Restore(DbConnection connection, DbTransaction transaction, ClimuxSession s)
    {
        if (Exists(connection, transaction, s.Id))
            return false;
        static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
        using (var command = Command(connection, transaction, """
            INSERT INTO sessions (id, name, provider, model, mode, status, prompt, workspace, worktree, directory, branch, base_commit,
                native_session_id, parent_id, fallback_of, depends_on, options, host, host_pid, host_start, pid, pid_start, exit_code,
                queued_at, started_at, ended_at, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, cost_source,
                turns, files_changed, lines_added, lines_removed, result, error, log_path, lease_expires_at)
            VALUES (@id, @name, @provider, @model, @mode, @status, @prompt, @workspace, @worktree, @directory, @branch, @base,
                @native, (SELECT p.id FROM sessions p WHERE p.id = @parent), @fallback, @depends, @options, @host, @hostPid, @hostStart, @pid, @pidStart, @exit,
                @queued, @started, @ended, @in, @out, @cr, @cw, @cost, @source,
                @turns, @files, @added, @removed, @result, @error, @log, @lease)
            """,
            ("@id", s.Id), ("@name", s.Name), ("@provider", s.Provider), ("@model", s.Model), ("@mode", s.Mode.ToString()),
            ("@status", s.Status.ToString()), ("@prompt", s.Prompt), ("@workspace", s.Workspace), ("@worktree", s.Worktree),
            ("@directory", s.Directory), ("@branch", s.Branch), ("@base", s.BaseCommit), ("@native", s.NativeSessionId),
            ("@parent", s.ParentId), ("@fallback", s.FallbackOf), ("@depends", s.DependsOn.Count == 0 ? null : string.Join(' ', s.DependsOn)),
            ("@options", s.Options is null ? null : JsonSerializer.Serialize(s.Options)), ("@host", s.Host), ("@hostPid", s.HostPid),
            ("@hostStart", s.HostStart), ("@pid", s.Pid), ("@pidStart", s.PidStart), ("@exit", s.ExitCode),
            ("@queued", Ms(s.QueuedAt)), ("@started", Ms(s.StartedAt)), ("@ended", Ms(s.EndedAt)),
            ("@in", s.InputTokens), ("@out", s.OutputTokens), ("@cr", s.CacheReadTokens), ("@cw", s.CacheWriteTokens),
            ("@cost", (double)s.CostUsd), ("@source", s.CostSource?.ToString()), ("@turns", s.Turns), ("@files", s.FilesChanged),
            ("@added", s.LinesAdded), ("@removed", s.LinesRemoved), ("@result", s.Result), ("@error", s.Error), ("@log", s.LogPath),
            ("@lease", Ms(s.LeaseExpiresAt))))
            command.ExecuteNonQuery();
        if (!string.IsNullOrEmpty(s.Name))
            SetAlias(connection, transaction, s.Name, s.Id);
        return true;
    }

    public bool RequestStop(string id, string reason) =>
        Execute("UPDATE sessions SET stop_requested = @reason WHERE id = @id AND status IN ('Queued', 'Running')", ("@id", id), ("@reason", reason)) > 0;

    public string? StopRequested(string id) => Read(connection =>
    {
        using var command = Command(connection, null, "SELECT stop_requested FROM sessions WHERE id = @id", ("@id", id));
        return command.ExecuteScalar() as string;
    });

    public bool Delete(string id) => Decide((connection, transaction) =>
    {
        using var command = Command(connection, transaction, "DELETE FROM sessions WHERE id = @id", ("@id", id));
        return command.ExecuteNonQuery() > 0;
    });

    // Transcripts

    public bool AppendEvents(string id, long firstSequence, IReadOnlyList<TranscriptEntry> entries)
    {
        if (entries.Count == 0)
            return true;
        var at = Now();
        return Decide((connection, transaction) =>
        {
            if (!Exists(connection, transaction, id))
                return false;
            using var command = Command(connection, transaction,
                "INSERT INTO events (session_id, seq, at, kind, role, tool, text, data) VALUES (@id, @seq, @at, @kind, @role, @tool, @text, @data)",
                ("@id", id), ("@at", at), ("@seq", 0L), ("@kind", ""), ("@role", null), ("@tool", null), ("@text", null), ("@data", null));
            var p = command.Parameters;
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                p["@seq"].Value = firstSequence + i;
                p["@kind"].Value = entry.Kind.ToString();
                p["@role"].Value = (object?)entry.Role ?? DBNull.Value;
                p["@tool"].Value = (object?)entry.Tool ?? DBNull.Value;
                p["@text"].Value = (object?)entry.Text ?? DBNull.Value;
                p["@data"].Value = (object?)entry.Data ?? DBNull.Value;
                command.ExecuteNonQuery();
            }
            return true;
        });
    }

    public IReadOnlyList<ClimuxSessionEvent> Events(string id, long afterSequence = 0) => Read(connection =>
    {
        using var command = Command(connection, null,
            "SELECT seq, at, kind, role, tool, text, data FROM events WHERE session_id = @id AND seq > @after ORDER BY seq",
            ("@id", id), ("@after", afterSequence));
        return ReadList(command, r => new ClimuxSessionEvent
        {
            SessionId = id,
            Sequence = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
            At = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)),
            Kind = Enum.Parse<SessionEventKind>(r.GetString(2)),
            Role = r.IsDBNull(3) ? null : r.GetString(3),
            Tool = r.IsDBNull(4) ? null : r.GetString(4),
            Text = r.IsDBNull(5) ? null : r.GetString(5),
            Data = r.IsDBNull(6) ? null : r.GetString(6),
        });
    });

    // Decisions

    public AdmissionResult Admit(string sessionId, AdmissionPolicy policy)
    {
        // Most looks end in "wait". Decide that from a read, which takes no lock, so a hundred queued
        // runs woken at once do not all line up for it; only a likely admission (or an orphan to
        // reclaim) goes on to the decision transaction, which decides again.
        var preview = Read(connection => Snapshot(connection, null, policy.DayStart));
        var previewDecision = policy.Decide(preview, sessionId);
        if (previewDecision.Verdict == AdmissionVerdict.Wait && policy.Orphans.Find(preview.Active).Count == 0)
            return new AdmissionResult(previewDecision, []);

        return Decide((connection, transaction) =>
        {
            var orphans = MarkOrphans(connection, transaction, policy.Orphans, ActiveSessions(connection, transaction));
            var decision = policy.Decide(Snapshot(connection, transaction, policy.DayStart), sessionId);
            if (decision.Verdict == AdmissionVerdict.Admitted)
            {
                using var admit = Command(connection, transaction,
                    "UPDATE sessions SET status = 'Running', started_at = @now WHERE id = @id AND status = 'Queued'",
                    ("@id", sessionId), ("@now", Now()));
                admit.ExecuteNonQuery();
            }
            return new AdmissionResult(decision, orphans);
        });
    }

    public int RenewLeases(string host, ProcessIdentity process, DateTimeOffset until) => Execute("""
        UPDATE sessions SET lease_expires_at = @until
        WHERE host = @host AND host_pid = @pid AND host_start = @start AND status IN ('Queued', 'Running')
        """, ("@until", until.ToUnixTimeMilliseconds()), ("@host", host), ("@pid", process.Pid), ("@start", process.StartTime));

    public IReadOnlyList<Orphan> ReclaimOrphans(OrphanPolicy policy)
    {
        if (policy.Find(Read(connection => ActiveSessions(connection, null))).Count == 0)
            return [];
        return Decide((connection, transaction) => MarkOrphans(connection, transaction, policy, ActiveSessions(connection, transaction)));
    }

    private static IReadOnlyList<Orphan> MarkOrphans(DbConnection connection, DbTransaction transaction, OrphanPolicy policy, IReadOnlyList<ActiveSession> active)
    {
        var orphans = policy.Find(active);
        foreach (var orphan in orphans)
        {
            using var update = Command(connection, transaction, """
                UPDATE sessions SET status = 'Orphaned', ended_at = @now, pid = NULL, lease_expires_at = NULL, error = COALESCE(error, @error)
                WHERE id = @id AND status IN ('Queued', 'Running')
                """, ("@id", orphan.Id), ("@now", Now()), ("@error", orphan.Error));
            update.ExecuteNonQuery();
        }
        return orphans;
    }

    private AdmissionSnapshot Snapshot(DbConnection connection, DbTransaction? transaction, DateTimeOffset dayStart)
    {
        var active = ActiveSessions(connection, transaction);
        var wanted = active.Where(s => s.Status == SessionStatus.Queued).SelectMany(s => s.DependsOn).Distinct(StringComparer.Ordinal).ToList();
        var dependencies = new Dictionary<string, SessionStatus>(StringComparer.Ordinal);
        foreach (var chunk in wanted.Chunk(500))
        {
            using var command = Command(connection, transaction,
                $"SELECT id, status FROM sessions WHERE id IN ({string.Join(", ", chunk.Select((_, i) => $"@d{i}"))})",
                [.. chunk.Select((id, i) => ($"@d{i}", (object?)id))]);
            foreach (var (id, status) in ReadList(command, r => (r.GetString(0), Enum.Parse<SessionStatus>(r.GetString(1)))))
                dependencies[id] = status;
        }
        return new AdmissionSnapshot(active, dependencies, SpentSince(connection, transaction, dayStart));
    }

    private IReadOnlyList<ActiveSession> ActiveSessions(DbConnection connection, DbTransaction? transaction)
    {
        using var command = Command(connection, transaction, $"""
            SELECT id, status, workspace, {(_dialect.IsShared ? "workspace_key" : "workspace AS workspace_key")}, depends_on, stop_requested,
                options, host, host_pid, host_start, pid, pid_start, lease_expires_at
            FROM sessions WHERE status IN ('Queued', 'Running') ORDER BY {_dialect.QueueOrder}
            """);
        return ReadList(command, r =>
        {
            var row = new Row(r);
            return new ActiveSession
            {
                Id = row.Text("id")!,
                Status = Enum.Parse<SessionStatus>(row.Text("status")!),
                Workspace = row.Text("workspace"),
                WorkspaceKey = row.Text("workspace_key") ?? row.Text("workspace"),
                DependsOn = SplitIds(row.Text("depends_on")),
                StopRequested = row.Text("stop_requested"),
                Force = row.Text("options") is { } options && JsonSerializer.Deserialize<RunOptions>(options)?.Force == true,
                Host = row.Text("host"),
                HostProcess = row.Long("host_pid") is { } hostPid ? new ProcessIdentity((int)hostPid, row.Long("host_start") ?? 0) : null,
                Agent = row.Long("pid") is { } pid ? new ProcessIdentity((int)pid, row.Long("pid_start") ?? 0) : null,
                LeaseExpiresAt = row.Time("lease_expires_at"),
            };
        });
    }

    // Usage

    public decimal SpentSince(DateTimeOffset start) => Read(connection => SpentSince(connection, null, start));

    private decimal SpentSince(DbConnection connection, DbTransaction? transaction, DateTimeOffset start)
    {
        using var command = Command(connection, transaction,
            $"SELECT {_dialect.Total("CASE WHEN cost_usd > 0 THEN cost_usd ELSE 0 END")} FROM sessions WHERE queued_at >= @start",
            ("@start", start.ToUnixTimeMilliseconds()));
        return Saturating.ToDecimal(Convert.ToDouble(command.ExecuteScalar() ?? 0.0, CultureInfo.InvariantCulture));
    }

    public IReadOnlyList<ClimuxStatsRow> Stats(StatsGrouping by, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? providers, TimeZoneInfo zone, string? workspace = null) => Read(connection =>
    {
        var (fromMs, toMs) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        var parameters = new List<(string, object?)> { ("@from", fromMs), ("@to", toMs), ("@now", Now()) };
        var providerFilter = "";
        if (providers is { Count: > 0 })
        {
            providerFilter = " AND lower(provider) IN (" + string.Join(", ", providers.Select((_, i) => $"@p{i}")) + ")";
            parameters.AddRange(providers.Select((p, i) => ($"@p{i}", (object?)p.ToLowerInvariant())));
        }
        if (workspace is not null)
        {
            providerFilter += " AND workspace = @workspace";
            parameters.Add(("@workspace", workspace));
        }
        var column = by switch
        {
            StatsGrouping.Provider => "provider",
            StatsGrouping.Model => "model",
            StatsGrouping.Workspace => "workspace",
            StatsGrouping.Worktree => "worktree",
            _ => "NULL",
        };
        var (key, quarterHourDays) = by == StatsGrouping.Day ? LocalDay(connection, fromMs, toMs, zone) : ("key", true);

        // Every part yields the same columns: a time, the key, then the totals; the outer query adds them up.
        var measures = StatsRollups.Measures(ended: "COALESCE(ended_at, @now)");
        var sessionTotals = string.Join(", ", measures.Select(m => $"{m.Value} AS {m.Column}"));
        string Sessions(string where) =>
            $"SELECT queued_at, {column} AS key, {sessionTotals}, CASE WHEN status IN ('Queued', 'Running') THEN 1 ELSE 0 END AS active FROM sessions WHERE {where}{providerFilter}";
        var parts = new List<string>();
        // The rollups are not kept per workspace: a workspace filter reads the sessions themselves.
        if (!_dialect.KeepsStatsRollups || !quarterHourDays || workspace is not null)
            parts.Add(Sessions("queued_at >= @from AND queued_at < @to"));
        else
        {
            // Whole buckets from the rollups; the partial ones at either end, and sessions not settled yet, one by one.
            var byQuarterHour = by == StatsGrouping.Day;
            var width = byQuarterHour ? StatsRollups.QuarterHour : StatsRollups.Day;
            var (first, last) = (StatsRollups.Ceiling(fromMs, width), StatsRollups.Floor(toMs, width));
            if (first >= last)
                (first, last) = (fromMs, fromMs);
            parameters.Add(("@first", first));
            parameters.Add(("@last", last));
            parts.Add(Sessions("queued_at >= @from AND queued_at < @first"));
            parts.Add(Sessions("queued_at >= @last AND queued_at < @to"));
            parts.Add(Sessions($"queued_at >= @first AND queued_at < @last AND {StatsRollups.Unsettled}"));
            var rollupTotals = string.Join(", ", measures.Select(m => m.Column));
            parts.Add(byQuarterHour
                ? $"SELECT bucket, provider, {rollupTotals}, 0 FROM {StatsRollups.QuarterHoursTable} WHERE bucket >= @first AND bucket < @last AND sessions > 0{providerFilter}"
                : $"SELECT bucket, {StatsRollups.KeyValue}, {rollupTotals}, 0 FROM {StatsRollups.DaysTable} WHERE dimension = '{column}' AND bucket >= @first AND bucket < @last AND sessions > 0{providerFilter}");
        }
        var cost = _dialect.Total("cost_usd");
        using var command = Command(connection, null, $"""
            SELECT {key} AS k, sum(sessions), sum(succeeded), sum(failed), sum(stopped), sum(active),
                {_dialect.Total("input_tokens")}, {_dialect.Total("output_tokens")}, {_dialect.Total("cache_read_tokens")}, {_dialect.Total("cache_write_tokens")},
                {cost}, {_dialect.Total("duration_ms")}, sum(ran)
            FROM ({string.Join("\nUNION ALL\n", parts)}) AS counted
            GROUP BY {key}
            ORDER BY {(by == StatsGrouping.Day ? "k" : $"{cost} DESC, k")}
            """, [.. parameters]);
        return ReadList(command, r =>
        {
            long Number(int i) => Saturating.ToLong(Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture));
            var totalMs = Number(11);
            var ran = Number(12);
            return new ClimuxStatsRow
            {
                By = by.ToString(),
                Key = r.IsDBNull(0) ? ClimuxStatsRow.None : r.GetString(0),
                Sessions = Number(1),
                Succeeded = Number(2),
                Failed = Number(3),
                Stopped = Number(4),
                Active = Number(5),
                InputTokens = Number(6),
                OutputTokens = Number(7),
                CacheReadTokens = Number(8),
                CacheWriteTokens = Number(9),
                CostUsd = Saturating.ToDecimal(Convert.ToDouble(r.GetValue(10), CultureInfo.InvariantCulture)),
                TotalDurationSeconds = totalMs / 1000.0,
                MeanDurationSeconds = ran == 0 ? null : (double)totalMs / ran / 1000.0,
            };
        });
    });

    /// <summary>
    /// The local day of <c>queued_at</c>, with the offsets in force over the range written into the
    /// query; and whether quarter hours fall within one day (every offset, and every change of it,
    /// on a quarter hour).
    /// </summary>
    private (string Day, bool QuarterHours) LocalDay(DbConnection connection, long from, long to, TimeZoneInfo zone)
    {
        // Two subqueries: each is one look into the index, where min and max together scan the range.
        using var command = Command(connection, null,
            "SELECT (SELECT min(queued_at) FROM sessions WHERE queued_at >= @from AND queued_at < @to), (SELECT max(queued_at) FROM sessions WHERE queued_at >= @from AND queued_at < @to)",
            ("@from", from), ("@to", to));
        var (first, last) = ReadList(command, r => r.IsDBNull(0) ? (0L, 0L) : (Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)))[0];
        var (changes, final) = LocalDays.Offsets(zone, first, last);
        var offset = changes.Count == 0
            ? final.ToString(CultureInfo.InvariantCulture)
            : "CASE " + string.Concat(changes.Select(c => FormattableString.Invariant($"WHEN queued_at < {c.Until} THEN {c.Offset} "))) + FormattableString.Invariant($"ELSE {final} END");
        var quarterHours = final % (StatsRollups.QuarterHour / 1000) == 0
            && changes.All(c => c.Offset % (StatsRollups.QuarterHour / 1000) == 0 && c.Until % StatsRollups.QuarterHour == 0);
        return (_dialect.Day(offset), quarterHours);
    }

    public IReadOnlyList<SessionLoad> ActiveLoad() => Read(connection =>
    {
        using var command = Command(connection, null,
            $"SELECT id, status, workspace FROM sessions WHERE status IN ('Queued', 'Running') ORDER BY {_dialect.QueueOrder}");
        return ReadList(command, r => new SessionLoad(r.GetString(0), Enum.Parse<SessionStatus>(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2)));
    });

    // Worktrees

    public void SaveWorktree(WorktreeRecord record) => Execute("""
        INSERT INTO worktrees (workspace, name, path, branch, base_ref, base_commit, created_at)
        VALUES (@workspace, @name, @path, @branch, @base, @commit, @created)
        ON CONFLICT(workspace, name) DO UPDATE SET path = excluded.path, branch = excluded.branch,
            base_ref = excluded.base_ref, base_commit = excluded.base_commit, created_at = excluded.created_at
        """, ("@workspace", record.Workspace), ("@name", record.Name), ("@path", record.Path), ("@branch", record.Branch),
        ("@base", record.BaseRef), ("@commit", record.BaseCommit), ("@created", record.CreatedAt.ToUnixTimeMilliseconds()));

    public IReadOnlyList<WorktreeRecord> Worktrees(string workspace) => Read(connection =>
    {
        using var command = Command(connection, null,
            "SELECT name, path, branch, base_ref, base_commit, created_at FROM worktrees WHERE workspace = @workspace", ("@workspace", workspace));
        return ReadList(command, r => new WorktreeRecord(workspace, r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
            r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
            DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(5), CultureInfo.InvariantCulture))));
    });

    public void RemoveWorktree(string workspace, string path) =>
        Execute("DELETE FROM worktrees WHERE workspace = @workspace AND path = @path", ("@workspace", workspace), ("@path", path));

    public IReadOnlyDictionary<string, WorktreeSessionCount> SessionCountsByDirectory(string workspace) => Read(connection =>
    {
        using var command = Command(connection, null, """
            SELECT directory, sum(CASE WHEN status IN ('Queued', 'Running') THEN 1 ELSE 0 END), count(*), max(COALESCE(ended_at, started_at, queued_at))
            FROM sessions WHERE workspace = @workspace GROUP BY directory
            """, ("@workspace", workspace));
        var counts = new Dictionary<string, WorktreeSessionCount>(StringComparer.Ordinal);
        foreach (var (directory, count) in ReadList(command, r => (r.GetString(0).TrimEnd('/', '\\'), new WorktreeSessionCount(
                     Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture),
                     r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture))))))
            counts[directory] = counts.TryGetValue(directory, out var other)
                ? new WorktreeSessionCount(other.Active + count.Active, other.Total + count.Total, new[] { other.LastActivity, count.LastActivity }.Max())
                : count;
        return counts;
    });

    // Provider version cache

    public ProviderVersion? CachedVersion(string key, long fileTime, long fileSize) => Read(connection =>
    {
        using var command = Command(connection, null,
            "SELECT version, note FROM provider_cache WHERE path = @key AND file_time = @time AND file_size = @size",
            ("@key", key), ("@time", fileTime), ("@size", fileSize));
        return ReadList(command, r => new ProviderVersion(r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1))).FirstOrDefault();
    });

    public void CacheVersion(string key, long fileTime, long fileSize, ProviderVersion version) => Execute("""
        INSERT INTO provider_cache (path, file_time, file_size, version, note, checked_at)
        VALUES (@key, @time, @size, @version, @note, @now)
        ON CONFLICT(path) DO UPDATE SET file_time = excluded.file_time, file_size = excluded.file_size,
            version = excluded.version, note = excluded.note, checked_at = excluded.checked_at
        """, ("@key", key), ("@time", fileTime), ("@size", fileSize), ("@version", version.Version), ("@note", version.Note), ("@now", Now()));

    // Team settings

    public string? TeamConfig() => !IsShared ? null : Read(connection =>
    {
        using var command = Command(connection, null, "SELECT value FROM settings WHERE key = 'config'");
        return command.ExecuteScalar() as string;
    });

    public void SaveTeamConfig(string yaml)
    {
        if (!IsShared)
            throw new InvalidOperationException($"Team settings need a shared store, and '{Location}' is this machine's own. " +
                "Name a PostgreSQL in your config (store.postgres) or in CLIMUX_STORE first.");
        Execute("""
            INSERT INTO settings (key, value, updated_at) VALUES ('config', @value, @now)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, ("@value", yaml), ("@now", Now()));
    }

    // Health

    public ClimuxStoreCheck Check()
    {
        try
        {
            return Read(connection =>
            {
                var version = _dialect.ReadVersion(connection, null);
                var problems = _dialect.CheckIntegrity(connection);
                using var count = Command(connection, null, "SELECT count(*) FROM sessions");
                return new ClimuxStoreCheck
                {
                    Path = Location,
                    Health = problems.Count == 0 ? StoreHealth.Ok : StoreHealth.Corrupt,
                    SchemaVersion = version,
                    SupportedVersion = _dialect.LatestVersion,
                    Integrity = problems.Count == 0 ? "ok" : string.Join("; ", problems.Take(10)),
                    Sessions = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture),
                    Advice = problems.Count == 0 ? null : new StoreCorruptException(Location, "its integrity check failed").Message,
                };
            });
        }
        catch (StoreException e)
        {
            return ClimuxStoreCheck.Failed(e, _dialect.LatestVersion);
        }
    }

    // Plumbing

    private T Read<T>(Func<DbConnection, T> work)
    {
        try
        {
            using var connection = _dialect.Connect();
            return work(connection);
        }
        catch (Exception e) when (_dialect.Translate(e) is { } failure && !ReferenceEquals(failure, e))
        {
            throw failure;
        }
    }

    /// <summary>Runs <paramref name="work"/> holding the decision lock, and commits it.</summary>
    private T Decide<T>(Func<DbConnection, DbTransaction, T> work) => Read(connection =>
    {
        using var transaction = _dialect.BeginDecision(connection);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    });

    private int Execute(string sql, params (string Name, object? Value)[] parameters) => Read(connection =>
    {
        using var command = Command(connection, null, sql, parameters);
        return command.ExecuteNonQuery();
    });

    private static bool WriteProgress(DbConnection connection, DbTransaction? transaction, string id, SessionProgress p)
    {
        using var command = Command(connection, transaction, """
            UPDATE sessions SET native_session_id = COALESCE(@native, native_session_id), model = COALESCE(@model, model),
                input_tokens = @in, output_tokens = @out, cache_read_tokens = @cr, cache_write_tokens = @cw,
                cost_usd = @cost, cost_source = @source, turns = @turns
            WHERE id = @id
            """,
            ("@id", id), ("@native", p.NativeSessionId), ("@model", p.Model), ("@in", p.Usage.Input), ("@out", p.Usage.Output),
            ("@cr", p.Usage.CacheRead), ("@cw", p.Usage.CacheWrite), ("@cost", (double)p.CostUsd), ("@source", p.CostSource?.ToString()),
            ("@turns", p.Turns));
        return command.ExecuteNonQuery() > 0;
    }

    private static void SetAlias(DbConnection connection, DbTransaction transaction, string alias, string id)
    {
        using var command = Command(connection, transaction,
            "INSERT INTO aliases (alias, session_id) VALUES (@alias, @id) ON CONFLICT(alias) DO UPDATE SET session_id = excluded.session_id",
            ("@alias", alias), ("@id", id));
        command.ExecuteNonQuery();
    }

    private static ClimuxSession? Get(DbConnection connection, DbTransaction? transaction, string id)
    {
        using var command = Command(connection, transaction, "SELECT * FROM sessions WHERE id = @id", ("@id", id));
        return ReadSessions(command).FirstOrDefault();
    }

    private static bool Exists(DbConnection connection, DbTransaction transaction, string id)
    {
        using var command = Command(connection, transaction, "SELECT 1 FROM sessions WHERE id = @id", ("@id", id));
        return command.ExecuteScalar() is not null;
    }

    private static List<ClimuxSession> ReadSessions(DbCommand command) => ReadList(command, r =>
    {
        var row = new Row(r);
        return new ClimuxSession
        {
            Id = row.Text("id")!,
            Name = row.Text("name"),
            Provider = row.Text("provider")!,
            Model = row.Text("model"),
            Mode = Enum.Parse<RunMode>(row.Text("mode")!),
            Status = Enum.Parse<SessionStatus>(row.Text("status")!),
            Prompt = row.Text("prompt")!,
            Workspace = row.Text("workspace"),
            Worktree = row.Text("worktree"),
            Directory = row.Text("directory")!,
            Branch = row.Text("branch"),
            NativeSessionId = row.Text("native_session_id"),
            ParentId = row.Text("parent_id"),
            FallbackOf = row.Text("fallback_of"),
            DependsOn = SplitIds(row.Text("depends_on")),
            Pid = (int?)row.Long("pid"),
            ExitCode = (int?)row.Long("exit_code"),
            QueuedAt = row.Time("queued_at")!.Value,
            StartedAt = row.Time("started_at"),
            EndedAt = row.Time("ended_at"),
            InputTokens = row.Long("input_tokens") ?? 0,
            OutputTokens = row.Long("output_tokens") ?? 0,
            CacheReadTokens = row.Long("cache_read_tokens") ?? 0,
            CacheWriteTokens = row.Long("cache_write_tokens") ?? 0,
            CostUsd = row.Money("cost_usd"),
            CostSource = row.Text("cost_source") is { } source ? Enum.Parse<CostSource>(source) : null,
            Turns = (int)(row.Long("turns") ?? 0),
            FilesChanged = (int?)row.Long("files_changed"),
            LinesAdded = (int?)row.Long("lines_added"),
            LinesRemoved = (int?)row.Long("lines_removed"),
            Result = row.Text("result"),
            Error = row.Text("error"),
            BaseCommit = row.Text("base_commit"),
            LogPath = row.Text("log_path"),
            Options = row.Text("options") is { } options ? JsonSerializer.Deserialize<RunOptions>(options) : null,
            Host = row.Text("host"),
            HostPid = (int?)row.Long("host_pid"),
            HostStart = row.Long("host_start"),
            PidStart = row.Long("pid_start"),
            LeaseExpiresAt = row.Time("lease_expires_at"),
        };
    });

    private static IReadOnlyList<string> SplitIds(string? text) => text?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    private static List<T> ReadList<T>(DbCommand command, Func<DbDataReader, T> read)
    {
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
            list.Add(read(reader));
        return list;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>A row read by column name, with the conversions every database needs.</summary>
    private readonly struct Row(DbDataReader reader)
    {
        public string? Text(string name) => reader.GetOrdinal(name) is var i && reader.IsDBNull(i) ? null : reader.GetString(i);

        public long? Long(string name) => reader.GetOrdinal(name) is var i && reader.IsDBNull(i)
            ? null
            : reader.GetValue(i) is double d ? Saturating.ToLong(d) : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);

        public DateTimeOffset? Time(string name) => Long(name) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

        public decimal Money(string name) => reader.GetOrdinal(name) is var i && reader.IsDBNull(i)
            ? 0m
            : Saturating.ToDecimal(Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture));
    }
}
