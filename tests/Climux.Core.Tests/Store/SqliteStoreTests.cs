using Climux.Core.Engine;
using Climux.Core.Paths;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Climux.Core.Tests.Store;

/// <summary>What only the SQLite store does: its file, its modes, its migrations, and what a damaged or vanished file does.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    /// <summary>One value, read with a connection of the test's own (not the store's pool).</summary>
    private static T Scalar<T>(ClimuxHome home, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={home.DatabaseFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T));
    }

    private static void Exec(ClimuxHome home, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={home.DatabaseFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static IClimuxStore OpenWith(ClimuxHome home, IReadOnlyList<Migration> migrations)
    {
        SqliteConnection.ClearAllPools();
        return new SqlStore(new SqliteDialect(home, migrations));
    }

    [Fact]
    public void A_new_store_is_created_migrated_and_in_wal_mode()
    {
        var home = _temp.Home();
        using var store = ClimuxStore.Open(home);
        Assert.True(File.Exists(home.DatabaseFile));
        Assert.Equal(home.DatabaseFile, store.Location);
        Assert.Equal(SqliteSchema.Latest, Scalar<int>(home, "PRAGMA user_version"));
        Assert.Equal("wal", Scalar<string>(home, "PRAGMA journal_mode"));
        using (var connection = ((SqlStore)store).Dialect.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA busy_timeout";
            Assert.Equal((long)SqliteDialect.BusyTimeout.TotalMilliseconds, (long)command.ExecuteScalar()!);
            command.CommandText = "PRAGMA foreign_keys";
            Assert.Equal(1L, (long)command.ExecuteScalar()!);
        }
        foreach (var table in new[] { "sessions", "events", "worktrees", "aliases", "provider_cache" })
            Assert.Equal(1, Scalar<int>(home, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
    }

    [Fact]
    public void The_folder_and_the_database_are_owner_only()
    {
        if (OperatingSystem.IsWindows())
            return;
        var home = _temp.Home();
        using var store = ClimuxStore.Open(home);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home.Root));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home.LogsDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(home.DatabaseFile));
        foreach (var sidecar in Directory.GetFiles(home.Root, "climux.db-*"))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(sidecar));
    }

    [Fact]
    public void An_existing_folder_keeps_its_mode_since_it_is_the_users()
    {
        if (OperatingSystem.IsWindows())
            return;
        var home = _temp.Home();
        Directory.CreateDirectory(home.Root);
        File.SetUnixFileMode(home.Root, (UnixFileMode)0b111_101_101);
        using var store = ClimuxStore.Open(home);
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(home.Root));
    }

    [Fact]
    public void An_older_schema_is_migrated_and_keeps_its_data()
    {
        var home = _temp.Home();
        var v1 = new Migration(1, "notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);");
        OpenWith(home, [v1]).Dispose();
        Exec(home, "INSERT INTO notes (text) VALUES ('kept')");

        // A later build adds step 2; the same file opened by it is brought forward.
        var v2 = new Migration(2, "note authors", "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'unknown';");
        using var migrated = OpenWith(home, [v1, v2]);
        Assert.Equal(2, Scalar<int>(home, "PRAGMA user_version"));
        Assert.Equal("kept/unknown", Scalar<string>(home, "SELECT text || '/' || author FROM notes"));
    }

    [Fact]
    public void A_store_at_schema_version_1_is_brought_to_the_newest_with_its_sessions()
    {
        var home = _temp.Home();
        OpenWith(home, SqliteSchema.All.Take(1).ToList()).Dispose();
        Exec(home, "INSERT INTO sessions (id, provider, mode, status, prompt, directory, queued_at, cost_usd) VALUES ('old', 'codex', 'Task', 'Completed', 'p', '/tmp', 5, 1.5)");
        Assert.Equal(1, Scalar<int>(home, "PRAGMA user_version"));

        using var current = OpenWith(home, SqliteSchema.All);
        Assert.Equal(SqliteSchema.Latest, Scalar<int>(home, "PRAGMA user_version"));
        Assert.Equal(1.5, Scalar<double>(home, "SELECT cost_usd FROM sessions WHERE id = 'old'"));
        Assert.Equal(1, Scalar<int>(home, "SELECT count(*) FROM sqlite_master WHERE name = 'sessions_for_stats'"));
        Assert.Equal(0, Scalar<int>(home, "SELECT count(*) FROM sqlite_master WHERE name = 'sessions_by_queued'"));
        Assert.Equal(1.5m, current.Get("old")!.CostUsd);
    }

    [Fact]
    public void A_store_at_schema_version_2_gains_host_fallback_and_lease_columns()
    {
        var home = _temp.Home();
        OpenWith(home, SqliteSchema.All.Take(2).ToList()).Dispose();
        Exec(home, "INSERT INTO sessions (id, provider, mode, status, prompt, directory, queued_at, host_pid) VALUES ('v2session', 'codex', 'Task', 'Completed', 'p', '/tmp', 5, 42)");

        using var current = OpenWith(home, SqliteSchema.All);
        Assert.True(SqliteSchema.Latest >= 3);
        Assert.Equal(SqliteSchema.Latest, Scalar<int>(home, "PRAGMA user_version"));
        foreach (var column in new[] { "host", "fallback_of", "lease_expires_at" })
            Assert.Equal(1, Scalar<int>(home, $"SELECT count(*) FROM pragma_table_info('sessions') WHERE name = '{column}'"));
        var old = current.Get("v2session")!;
        Assert.Equal((null, null, 42), (old.Host, old.FallbackOf, old.HostPid));
        var fresh = current.Insert(new NewSession { Provider = "codex", Prompt = "p", Directory = "/tmp", Host = "box", FallbackOf = "v2session" });
        Assert.Equal(("box", "v2session"), (current.Get(fresh.Id)!.Host, current.Get(fresh.Id)!.FallbackOf));
    }

    [Fact]
    public void A_store_from_a_newer_climux_is_refused_with_a_clear_error()
    {
        var home = _temp.Home();
        ClimuxStore.Open(home).Dispose();
        Exec(home, $"PRAGMA user_version = {SqliteSchema.Latest + 5}");
        SqliteConnection.ClearAllPools();
        var e = Assert.Throws<StoreVersionException>(() => ClimuxStore.Open(home));
        Assert.Equal(SqliteSchema.Latest + 5, e.StoreVersion);
        Assert.Equal(SqliteSchema.Latest, e.SupportedVersion);
        Assert.Contains(e.StorePath, e.Message);
        Assert.EndsWith("climux.db", e.StorePath);
        Assert.Contains("newer Climux", e.Message);
        Assert.Equal(StoreHealth.TooNew, ClimuxStore.Check(home).Health);
    }

    [Fact]
    public void Real_schema_accepts_a_session_with_events_and_cascades_deletes()
    {
        var home = _temp.Home();
        ClimuxStore.Open(home).Dispose();
        Exec(home, """
            PRAGMA foreign_keys = ON;
            INSERT INTO sessions (id, provider, mode, status, prompt, directory, queued_at) VALUES ('abc', 'codex', 'Task', 'Queued', 'p', '/tmp', 1);
            INSERT INTO events (session_id, seq, at, kind, text) VALUES ('abc', 1, 2, 'message', 'hi');
            INSERT INTO aliases (alias, session_id) VALUES ('first', 'abc');
            DELETE FROM sessions WHERE id = 'abc';
            """);
        Assert.Equal(0, Scalar<int>(home, "SELECT count(*) FROM events"));
        Assert.Equal(0, Scalar<int>(home, "SELECT count(*) FROM aliases"));
    }

    [Fact]
    public void Several_processes_creating_and_writing_one_store_lose_nothing()
    {
        const int processes = 6, iterations = 25;
        var home = _temp.Home();
        var outputs = TestHosts.Run(processes, i => ["store-hammer", home.Root, iterations.ToString(), $"p{i}"]);
        Assert.All(outputs, output => Assert.DoesNotContain("database is locked", output));

        using var store = ClimuxStore.Open(home);
        var sessions = store.Find(new SessionFilter());
        Assert.Equal(processes * iterations, sessions.Count);
        Assert.Equal(processes, sessions.Select(s => s.Provider).Distinct().Count());
        Assert.All(sessions, s => Assert.Equal(SessionStatus.Completed, s.Status));
        Assert.All(sessions, s => Assert.Equal([1L, 2L], store.Events(s.Id).Select(e => e.Sequence)));
        Assert.Equal(SqliteSchema.Latest, Scalar<int>(home, "PRAGMA user_version"));
    }

    [Fact]
    public void Several_processes_admitting_from_one_queue_never_over_admit()
    {
        const int processes = 4, perProcess = 8, limit = 2;
        var home = _temp.Home();
        var outputs = TestHosts.Run(processes, i => ["admit-hammer", home.Root, perProcess.ToString(), limit.ToString(), $"p{i}"]);
        var most = outputs.Select(o => int.Parse(o.Trim().Split('\n')[^1].Split(' ')[1])).Max();
        Assert.InRange(most, 1, limit);

        using var store = ClimuxStore.Open(home);
        var sessions = store.Find(new SessionFilter());
        Assert.Equal(processes * perProcess, sessions.Count);
        Assert.All(sessions, s => Assert.Equal(SessionStatus.Completed, s.Status));
        // Never two at once beyond the limit, by the store's own clock: at no start were `limit` others still running.
        foreach (var s in sessions)
            Assert.True(sessions.Count(o => o.Id != s.Id && o.StartedAt <= s.StartedAt && o.EndedAt > s.StartedAt) < limit,
                $"{s.Id} started while {limit} others ran");
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_reported_as_damaged_naming_the_file_and_the_way_out()
    {
        var home = _temp.Home();
        Directory.CreateDirectory(home.Root);
        File.WriteAllText(home.DatabaseFile, new string('x', 8192));

        var e = Assert.Throws<StoreCorruptException>(() => ClimuxStore.Open(home));
        Assert.Equal(home.DatabaseFile, e.StorePath);
        Assert.Contains(home.DatabaseFile, e.Message);
        Assert.Contains("not a database", e.Message);
        Assert.Contains($"mv '{home.DatabaseFile}' '{home.DatabaseFile}.damaged'", e.Message);
        Assert.Throws<StoreCorruptException>(() => ClimuxEngine.Open(home));

        var check = ClimuxEngine.CheckStore(home);
        Assert.Equal((StoreHealth.Corrupt, false), (check.Health, check.Healthy));
        Assert.Contains("not a database", check.Integrity);
        Assert.Contains(".damaged", check.Advice);
        Assert.Null(check.Sessions);

        // Moved aside as the message says, a new store starts.
        File.Move(home.DatabaseFile, home.DatabaseFile + ".damaged");
        using var fresh = ClimuxStore.Open(home);
        Assert.Empty(fresh.Find(new SessionFilter()));
    }

    [Fact]
    public void Damaged_pages_are_found_by_the_check_and_reported_by_queries()
    {
        var home = _temp.Home();
        using (var store = ClimuxStore.Open(home))
        {
            var factory = new SessionFactory(store);
            for (var i = 0; i < 300; i++)
                factory.Put(SessionFactory.Row() with { Prompt = new string('p', 500) + i });
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(StoreHealth.Ok, ClimuxStore.Check(home).Health);
        Assert.Equal(300, ClimuxStore.Check(home).Sessions);

        // Overwrite the second half of the file (the schema, written first, intact; table pages garbage).
        using (var file = new FileStream(home.DatabaseFile, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = file.Length / 2 / 4096 * 4096;
            var garbage = Enumerable.Repeat((byte)0xA5, (int)(file.Length - file.Position)).ToArray();
            file.Write(garbage);
        }

        var check = ClimuxStore.Check(home);
        Assert.Equal(StoreHealth.Corrupt, check.Health);
        Assert.NotEqual("ok", check.Integrity);
        using var damaged = ClimuxStore.Open(home);
        var e = Assert.Throws<StoreCorruptException>(() => damaged.Find(new SessionFilter()));
        Assert.Contains(home.DatabaseFile, e.Message);
        Assert.Equal(StoreHealth.Corrupt, damaged.Check().Health);
    }

    [Fact]
    public void A_store_that_cannot_be_created_is_unavailable_naming_the_file()
    {
        // CLIMUX_HOME under a plain file: no permission trick, so it fails for root too.
        var blocker = _temp.Write("not-a-folder", "x");
        var home = new ClimuxHome(Path.Combine(blocker, "home"));
        var e = Assert.Throws<StoreUnavailableException>(() => ClimuxStore.Open(home));
        Assert.Contains(home.DatabaseFile, e.Message);
        Assert.Contains("CLIMUX_HOME", e.Message);

        // The database path taken by a folder: SQLite cannot open it.
        var other = _temp.Home("other");
        Directory.CreateDirectory(other.DatabaseFile);
        Assert.Throws<StoreUnavailableException>(() => ClimuxStore.Open(other));
        Assert.Equal(StoreHealth.Unavailable, ClimuxStore.Check(other).Health);
        Assert.Equal(StoreHealth.Missing, ClimuxStore.Check(_temp.Home("none")).Health);
        Assert.True(ClimuxStore.Check(_temp.Home("none")).Healthy);
        Assert.False(File.Exists(_temp.Home("none").DatabaseFile));
    }

    [Fact]
    public void A_store_file_deleted_behind_its_back_is_made_again()
    {
        var home = _temp.Home();
        using var store = ClimuxStore.Open(home);
        var before = new SessionFactory(store).Queue();
        foreach (var file in Directory.GetFiles(home.Root, "climux.db*"))
            File.Delete(file);

        Assert.Null(store.Get(before.Id));
        Assert.True(File.Exists(home.DatabaseFile));
        Assert.Equal(SqliteSchema.Latest, Scalar<int>(home, "PRAGMA user_version"));
        Assert.True(store.Restore(before));
        Assert.Equal(before.Id, store.Resolve(before.Id).Id);
        Assert.Equal(StoreHealth.Ok, store.Check().Health);
    }

    [Fact]
    public void A_store_overwritten_or_emptied_while_in_use_is_noticed()
    {
        var home = _temp.Home();
        using var store = ClimuxStore.Open(home);
        var factory = new SessionFactory(store);
        for (var i = 0; i < 50; i++)
            factory.Queue();
        // Checkpointed (as at 1000 pages of journal, or when every connection closes): the journal
        // can no longer put pages back. Then the pool holds connections to the file again.
        SqliteConnection.ClearAllPools();
        Assert.Equal(50, store.Find(new SessionFilter()).Count);

        // Overwritten in place (same file, its pooled connections still open on it).
        File.WriteAllBytes(home.DatabaseFile, Enumerable.Repeat((byte)'x', 64 * 1024).ToArray());
        foreach (var sidecar in new[] { "-wal", "-shm" })
            File.Delete(home.DatabaseFile + sidecar);
        var e = Assert.Throws<StoreCorruptException>(() => store.Find(new SessionFilter()));
        Assert.Contains(home.DatabaseFile, e.Message);

        // Emptied: a new store in the same file.
        File.WriteAllBytes(home.DatabaseFile, []);
        Assert.Empty(store.Find(new SessionFilter()));
        factory.Queue();
        Assert.Equal(1, ClimuxStore.Check(home).Sessions);
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Europe/Berlin")]
    [InlineData("Australia/Lord_Howe")]
    public void Days_follow_the_local_zone_across_daylight_saving_changes(string zone)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists($"/usr/share/zoneinfo/{zone}"))
            return;
        var home = _temp.Home();
        using (var store = ClimuxStore.Open(home))
        {
            var sessions = new SessionFactory(store);
            // Around midnight on days either side of each change of 2026, where an offset off by an hour moves a session to another day.
            var days = new[] { "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-28", "2026-03-29", "2026-03-30", "2026-04-04", "2026-04-05",
                "2026-10-03", "2026-10-04", "2026-10-24", "2026-10-25", "2026-10-26", "2026-10-31", "2026-11-01", "2026-11-02" };
            foreach (var day in days)
                foreach (var hours in new[] { -14.5, -13, -11, -10.25, -9.5, -5.5, -4.5, -3.5, -1.5, -0.5, 0.5, 1.5, 4.5, 10.5, 11.5, 13.5, 14.5 })
                    sessions.Finished(DateTimeOffset.Parse(day + "T00:00:00Z").AddHours(hours), SessionStatus.Completed);
        }

        var lines = TestHosts.Run(1, _ => ["local-days", home.Root], new Dictionary<string, string> { ["TZ"] = zone })[0]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var sql = lines.Where(l => l.StartsWith("sql ")).Select(l => l[4..]).ToList();
        var net = lines.Where(l => l.StartsWith("net ")).Select(l => l[4..]).ToList();
        Assert.NotEmpty(sql);
        Assert.Equal(net, sql);
    }
}
