using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Climux.Core.Agents;
using Climux.Core.Platform;
using Climux.Core.Store;
using Microsoft.Data.Sqlite;

namespace Climux.Core.Sessions;

/// <summary>Sessions and their transcripts in the store.</summary>
public sealed class SessionRepository(ClimuxStore store)
{
    // No 0/o, 1/i/l: ids are read aloud and typed. The first character is a letter so PowerShell
    // never reads an id as a number (2e5…).
    private const string Letters = "abcdefghjkmnpqrstuvwxyz";
    private const string Alphabet = Letters + "23456789";
    private const int IdLength = 8;

    public ClimuxStore Store => store;

    public ClimuxSession Insert(NewSession session)
    {
        var host = ProcessIdentity.Current;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return store.Write((connection, transaction) =>
        {
            if (session.ExclusiveDirectory)
            {
                using var busy = Command(connection, transaction,
                    "SELECT id FROM sessions WHERE directory = $directory AND status IN ('Queued', 'Running') LIMIT 1", ("$directory", session.Directory));
                if (busy.ExecuteScalar() is string other)
                    throw new DirectoryBusyException(session.Directory, other);
            }
            string id;
            do
                id = NewId();
            while (Exists(connection, transaction, id));

            using var command = Command(connection, transaction, """
                INSERT INTO sessions (id, name, provider, model, mode, status, prompt, workspace, worktree, directory,
                    native_session_id, parent_id, depends_on, options, host_pid, host_start, queued_at)
                VALUES ($id, $name, $provider, $model, $mode, 'Queued', $prompt, $workspace, $worktree, $directory,
                    $native, $parent, $depends, $options, $hostPid, $hostStart, $now)
                """,
                ("$id", id), ("$name", session.Name), ("$provider", session.Provider), ("$model", session.Model),
                ("$mode", session.Mode.ToString()), ("$prompt", session.Prompt), ("$workspace", session.Workspace),
                ("$worktree", session.Worktree), ("$directory", session.Directory),
                ("$native", session.NativeSessionId), ("$parent", session.ParentId),
                ("$depends", session.DependsOn.Count == 0 ? null : string.Join(' ', session.DependsOn)),
                ("$options", session.Options), ("$hostPid", host.Pid), ("$hostStart", host.StartTime), ("$now", now));
            command.ExecuteNonQuery();
            if (!string.IsNullOrEmpty(session.Name))
                Command(connection, transaction, "INSERT INTO aliases (alias, session_id) VALUES ($a, $id) ON CONFLICT(alias) DO UPDATE SET session_id = excluded.session_id",
                    ("$a", session.Name), ("$id", id)).ExecuteNonQuery();
            return Get(connection, transaction, id)!;
        });
    }

    public ClimuxSession? Get(string id) => store.Read(c => Get(c, null, id));

    /// <summary>
    /// The session an id, a name, or an unambiguous id prefix (4 characters or more) stands for.
    /// Throws <see cref="SessionNotFoundException"/> when none or several match.
    /// </summary>
    public ClimuxSession Resolve(string reference) => store.Read(connection =>
    {
        if (Get(connection, null, reference) is { } exact)
            return exact;
        using (var alias = Command(connection, null, "SELECT session_id FROM aliases WHERE alias = $a", ("$a", reference)))
        {
            if (alias.ExecuteScalar() is string aliased && Get(connection, null, aliased) is { } named)
                return named;
        }
        if (reference.Length >= 4)
        {
            using var prefix = Command(connection, null, "SELECT id FROM sessions WHERE id >= $p AND id < $end ORDER BY id LIMIT 2",
                ("$p", reference), ("$end", reference + "\uffff"));
            var ids = new List<string>();
            using (var reader = prefix.ExecuteReader())
                while (reader.Read())
                    ids.Add(reader.GetString(0));
            if (ids.Count == 1)
                return Get(connection, null, ids[0])!;
            if (ids.Count > 1)
                throw new SessionNotFoundException(reference, $"'{reference}' matches several sessions; give more of the id.");
        }
        throw new SessionNotFoundException(reference, $"No session '{reference}'. List them with Get-ClimuxSession.");
    });

    public IReadOnlyList<ClimuxSession> Find(SessionFilter filter) => store.Read(connection =>
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        void AddIn(string column, IReadOnlyList<string>? values, string prefix, string collation = "")
        {
            if (values is null || values.Count == 0)
                return;
            var names = values.Select((v, i) => { parameters.Add(($"${prefix}{i}", v)); return $"${prefix}{i}"; });
            where.Add($"{column}{collation} IN ({string.Join(", ", names)})");
        }
        AddIn("id", filter.Ids, "id");
        AddIn("status", filter.Statuses?.Select(s => s.ToString()).ToList(), "st");
        AddIn("provider", filter.Providers, "pr", " COLLATE NOCASE");
        if (filter.Workspace is not null)
        {
            where.Add("workspace = $ws");
            parameters.Add(("$ws", filter.Workspace));
        }
        if (filter.Worktree is not null)
        {
            where.Add("worktree = $wt");
            parameters.Add(("$wt", filter.Worktree));
        }
        var sql = "SELECT *, rowid AS row_order FROM sessions" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "");
        sql = filter.Last is { } last
            ? $"SELECT * FROM ({sql} ORDER BY queued_at DESC, row_order DESC LIMIT {last}) ORDER BY queued_at, row_order"
            : sql + " ORDER BY queued_at, row_order";
        using var command = Command(connection, null, sql, [.. parameters]);
        return ReadSessions(command);
    });

    public void MarkRunning(string id, ProcessIdentity agent, string? baseCommit, string? branch, string logPath, string? nativeSessionId) =>
        Execute("""
            UPDATE sessions SET status = 'Running', pid = $pid, pid_start = $pidStart, base_commit = $base, branch = COALESCE($branch, branch), log_path = $log,
                native_session_id = COALESCE($native, native_session_id), started_at = COALESCE(started_at, $now)
            WHERE id = $id
            """, ("$id", id), ("$pid", agent.Pid), ("$pidStart", agent.StartTime), ("$base", baseCommit), ("$branch", branch), ("$log", logPath),
            ("$native", nativeSessionId), ("$now", Now()));

    public void UpdateProgress(string id, SessionProgress progress)
    {
        using var connection = store.Connect();
        WriteProgress(connection, null, id, progress);
    }

    private static void WriteProgress(SqliteConnection connection, SqliteTransaction? transaction, string id, SessionProgress p)
    {
        using var command = Command(connection, transaction, """
            UPDATE sessions SET native_session_id = COALESCE($native, native_session_id), model = COALESCE($model, model),
                input_tokens = $in, output_tokens = $out, cache_read_tokens = $cr, cache_write_tokens = $cw,
                cost_usd = $cost, cost_source = $source, turns = $turns
            WHERE id = $id
            """,
            ("$id", id), ("$native", p.NativeSessionId), ("$model", p.Model), ("$in", p.Usage.Input), ("$out", p.Usage.Output),
            ("$cr", p.Usage.CacheRead), ("$cw", p.Usage.CacheWrite), ("$cost", (double)p.CostUsd), ("$source", p.CostSource?.ToString()),
            ("$turns", p.Turns));
        command.ExecuteNonQuery();
    }

    public void Finish(string id, SessionOutcome outcome)
    {
        var parameters = new List<(string, object?)>
        {
            ("$status", outcome.Status.ToString()), ("$exit", outcome.ExitCode), ("$result", outcome.Result),
            ("$error", outcome.Error), ("$now", Now()), ("$files", outcome.Diff?.FilesChanged),
            ("$added", outcome.Diff?.LinesAdded), ("$removed", outcome.Diff?.LinesRemoved),
        };
        store.Write((connection, transaction) =>
        {
            if (outcome.Progress is { } progress)
                WriteProgress(connection, transaction, id, progress);
            Command(connection, transaction, """
                UPDATE sessions SET status = $status, exit_code = $exit, result = $result, error = $error, ended_at = $now,
                    files_changed = $files, lines_added = $added, lines_removed = $removed, pid = NULL
                WHERE id = $id
                """, [("$id", id), .. parameters]).ExecuteNonQuery();
        });
    }

    /// <summary>Notes that someone asked the session to stop; false when it has already finished.</summary>
    public bool RequestStop(string id, string reason)
    {
        using var connection = store.Connect();
        using var command = Command(connection, null,
            "UPDATE sessions SET stop_requested = $reason WHERE id = $id AND status IN ('Queued', 'Running')", ("$id", id), ("$reason", reason));
        return command.ExecuteNonQuery() > 0;
    }

    public string? StopRequested(string id) => store.Read(connection =>
    {
        using var command = Command(connection, null, "SELECT stop_requested FROM sessions WHERE id = $id", ("$id", id));
        return command.ExecuteScalar() as string;
    });

    public void AppendEvents(string id, long firstSequence, IReadOnlyList<TranscriptEntry> entries)
    {
        if (entries.Count == 0)
            return;
        var at = Now();
        store.Write((connection, transaction) =>
        {
            using var command = Command(connection, transaction,
                "INSERT INTO events (session_id, seq, at, kind, role, tool, text, data) VALUES ($id, $seq, $at, $kind, $role, $tool, $text, $data)");
            var seq = command.Parameters.Add("$seq", SqliteType.Integer);
            var kind = command.Parameters.Add("$kind", SqliteType.Text);
            var role = command.Parameters.Add("$role", SqliteType.Text);
            var tool = command.Parameters.Add("$tool", SqliteType.Text);
            var text = command.Parameters.Add("$text", SqliteType.Text);
            var data = command.Parameters.Add("$data", SqliteType.Text);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$at", at);
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                seq.Value = firstSequence + i;
                kind.Value = entry.Kind.ToString();
                role.Value = (object?)entry.Role ?? DBNull.Value;
                tool.Value = (object?)entry.Tool ?? DBNull.Value;
                text.Value = (object?)entry.Text ?? DBNull.Value;
                data.Value = (object?)entry.Data ?? DBNull.Value;
                command.ExecuteNonQuery();
            }
        });
    }

    /// <summary>The session's transcript after <paramref name="afterSequence"/>, in order.</summary>
    public IReadOnlyList<ClimuxSessionEvent> Events(string id, long afterSequence = 0) => store.Read(connection =>
    {
        using var command = Command(connection, null, "SELECT seq, at, kind, role, tool, text, data FROM events WHERE session_id = $id AND seq > $after ORDER BY seq",
            ("$id", id), ("$after", afterSequence));
        using var reader = command.ExecuteReader();
        var events = new List<ClimuxSessionEvent>();
        while (reader.Read())
        {
            events.Add(new ClimuxSessionEvent
            {
                SessionId = id,
                Sequence = reader.GetInt64(0),
                At = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Kind = Enum.Parse<SessionEventKind>(reader.GetString(2)),
                Role = reader.IsDBNull(3) ? null : reader.GetString(3),
                Tool = reader.IsDBNull(4) ? null : reader.GetString(4),
                Text = reader.IsDBNull(5) ? null : reader.GetString(5),
                Data = reader.IsDBNull(6) ? null : reader.GetString(6),
            });
        }
        return events;
    });

    /// <summary>Deletes the session, its transcript and its aliases; children keep running records with no parent.</summary>
    public bool Delete(string id) => store.Write((connection, transaction) =>
        Command(connection, transaction, "DELETE FROM sessions WHERE id = $id", ("$id", id)).ExecuteNonQuery() > 0);

    private static ClimuxSession? Get(SqliteConnection connection, SqliteTransaction? transaction, string id)
    {
        using var command = Command(connection, transaction, "SELECT * FROM sessions WHERE id = $id", ("$id", id));
        return ReadSessions(command).FirstOrDefault();
    }

    private static bool Exists(SqliteConnection connection, SqliteTransaction transaction, string id)
    {
        using var command = Command(connection, transaction, "SELECT 1 FROM sessions WHERE id = $id", ("$id", id));
        return command.ExecuteScalar() is not null;
    }

    internal static List<ClimuxSession> ReadSessions(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var sessions = new List<ClimuxSession>();
        int Ordinal(string name) => reader.GetOrdinal(name);
        string? Text(string name) => reader.IsDBNull(Ordinal(name)) ? null : reader.GetString(Ordinal(name));
        long? Number(string name) => reader.IsDBNull(Ordinal(name)) ? null : reader.GetInt64(Ordinal(name));
        DateTimeOffset? Time(string name) => Number(name) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        while (reader.Read())
        {
            sessions.Add(new ClimuxSession
            {
                Id = Text("id")!,
                Name = Text("name"),
                Provider = Text("provider")!,
                Model = Text("model"),
                Mode = Enum.Parse<RunMode>(Text("mode")!),
                Status = Enum.Parse<SessionStatus>(Text("status")!),
                Prompt = Text("prompt")!,
                Workspace = Text("workspace"),
                Worktree = Text("worktree"),
                Directory = Text("directory")!,
                Branch = Text("branch"),
                NativeSessionId = Text("native_session_id"),
                ParentId = Text("parent_id"),
                DependsOn = Text("depends_on")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
                Pid = (int?)Number("pid"),
                ExitCode = (int?)Number("exit_code"),
                QueuedAt = Time("queued_at")!.Value,
                StartedAt = Time("started_at"),
                EndedAt = Time("ended_at"),
                InputTokens = Number("input_tokens") ?? 0,
                OutputTokens = Number("output_tokens") ?? 0,
                CacheReadTokens = Number("cache_read_tokens") ?? 0,
                CacheWriteTokens = Number("cache_write_tokens") ?? 0,
                CostUsd = reader.IsDBNull(Ordinal("cost_usd")) ? 0m : Convert.ToDecimal(reader.GetDouble(Ordinal("cost_usd")), CultureInfo.InvariantCulture),
                CostSource = Text("cost_source") is { } source ? Enum.Parse<CostSource>(source) : null,
                Turns = (int)(Number("turns") ?? 0),
                FilesChanged = (int?)Number("files_changed"),
                LinesAdded = (int?)Number("lines_added"),
                LinesRemoved = (int?)Number("lines_removed"),
                Result = Text("result"),
                Error = Text("error"),
                BaseCommit = Text("base_commit"),
                LogPath = Text("log_path"),
                Options = Text("options") is { } options ? JsonSerializer.Deserialize<RunOptions>(options) : null,
                HostPid = (int?)Number("host_pid"),
                HostStart = Number("host_start"),
                PidStart = Number("pid_start"),
            });
        }
        return sessions;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = store.Connect();
        using var command = Command(connection, null, sql, parameters);
        command.ExecuteNonQuery();
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string NewId() =>
        Letters[RandomNumberGenerator.GetInt32(Letters.Length)] +
        new string(Enumerable.Range(0, IdLength - 1).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray());
}

/// <summary>Another session is active in the folder a run needs to itself.</summary>
public sealed class DirectoryBusyException(string directory, string sessionId)
    : Exception($"Session {sessionId} is already active in '{directory}' (one task per worktree). Wait for it or stop it, or use -Force to run beside it.")
{
    public string Directory { get; } = directory;
    public string SessionId { get; } = sessionId;
}

/// <summary>No session, or more than one, answers to a reference.</summary>
public sealed class SessionNotFoundException(string reference, string message) : Exception(message)
{
    public string Reference { get; } = reference;
}
