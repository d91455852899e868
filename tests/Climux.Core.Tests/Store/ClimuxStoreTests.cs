using System.Diagnostics;
using Climux.Core.Store;
using Climux.Core.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Climux.Core.Tests.Store;

public sealed class ClimuxStoreTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static T Scalar<T>(ClimuxStore store, string sql) => store.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T));
    });

    [Fact]
    public void A_new_store_is_created_migrated_and_in_wal_mode()
    {
        var home = _temp.Home();
        var store = ClimuxStore.Open(home);
        Assert.True(File.Exists(home.DatabaseFile));
        Assert.Equal(Migrations.Latest, Scalar<int>(store, "PRAGMA user_version"));
        Assert.Equal("wal", Scalar<string>(store, "PRAGMA journal_mode"));
        Assert.Equal((int)ClimuxStore.BusyTimeout.TotalMilliseconds, Scalar<int>(store, "PRAGMA busy_timeout"));
        Assert.Equal(1, Scalar<int>(store, "PRAGMA foreign_keys"));
        foreach (var table in new[] { "sessions", "events", "worktrees", "aliases" })
            Assert.Equal(1, Scalar<int>(store, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
    }

    [Fact]
    public void The_folder_and_the_database_are_owner_only()
    {
        if (OperatingSystem.IsWindows())
            return;
        var home = _temp.Home();
        ClimuxStore.Open(home);
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
        ClimuxStore.Open(home);
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(home.Root));
    }

    [Fact]
    public void An_older_schema_is_migrated_and_keeps_its_data()
    {
        var home = _temp.Home();
        var v1 = new Migration(1, "notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);");
        var store = ClimuxStore.Open(home, [v1]);
        store.Write((c, t) => Exec(c, t, "INSERT INTO notes (text) VALUES ('kept')"));
        SqliteConnection.ClearAllPools();

        // A later build adds step 2; the same file opened by it is brought forward.
        var v2 = new Migration(2, "note authors", "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'unknown';");
        var migrated = ReopenWith(home, [v1, v2]);
        Assert.Equal(2, Scalar<int>(migrated, "PRAGMA user_version"));
        Assert.Equal("kept/unknown", Scalar<string>(migrated, "SELECT text || '/' || author FROM notes"));
    }

    [Fact]
    public void A_store_at_schema_version_1_is_brought_to_the_newest_with_its_sessions()
    {
        var home = _temp.Home();
        var v1 = ClimuxStore.Open(home, Migrations.All.Take(1).ToList());
        v1.Write((c, t) => Exec(c, t, "INSERT INTO sessions (id, provider, mode, status, prompt, directory, queued_at, cost_usd) VALUES ('old', 'codex', 'Task', 'Completed', 'p', '/tmp', 5, 1.5)"));
        Assert.Equal(1, Scalar<int>(v1, "PRAGMA user_version"));

        var current = ReopenWith(home, Migrations.All);
        Assert.Equal(Migrations.Latest, Scalar<int>(current, "PRAGMA user_version"));
        Assert.Equal(1.5, Scalar<double>(current, "SELECT cost_usd FROM sessions WHERE id = 'old'"));
        Assert.Equal(1, Scalar<int>(current, "SELECT count(*) FROM sqlite_master WHERE name = 'sessions_for_stats'"));
        Assert.Equal(0, Scalar<int>(current, "SELECT count(*) FROM sqlite_master WHERE name = 'sessions_by_queued'"));
    }

    [Fact]
    public void A_store_from_a_newer_climux_is_refused_with_a_clear_error()
    {
        var home = _temp.Home();
        var store = ClimuxStore.Open(home);
        store.Write((c, t) => Exec(c, t, $"PRAGMA user_version = {Migrations.Latest + 5}"));
        var e = Assert.Throws<StoreVersionException>(() => ReopenWith(home, Migrations.All));
        Assert.Equal(Migrations.Latest + 5, e.StoreVersion);
        Assert.Equal(Migrations.Latest, e.SupportedVersion);
        Assert.Contains(e.StorePath, e.Message);
        Assert.EndsWith("climux.db", e.StorePath);
        Assert.Contains("newer Climux", e.Message);
    }

    [Fact]
    public void Real_schema_v1_accepts_a_session_with_events_and_cascades_deletes()
    {
        var store = ClimuxStore.Open(_temp.Home());
        store.Write((c, t) =>
        {
            Exec(c, t, "INSERT INTO sessions (id, provider, mode, status, prompt, directory, queued_at) VALUES ('abc', 'codex', 'Task', 'Queued', 'p', '/tmp', 1)");
            Exec(c, t, "INSERT INTO events (session_id, seq, at, kind, text) VALUES ('abc', 1, 2, 'message', 'hi')");
            Exec(c, t, "INSERT INTO aliases (alias, session_id) VALUES ('first', 'abc')");
        });
        store.Write((c, t) => Exec(c, t, "DELETE FROM sessions WHERE id = 'abc'"));
        Assert.Equal(0, Scalar<int>(store, "SELECT count(*) FROM events"));
        Assert.Equal(0, Scalar<int>(store, "SELECT count(*) FROM aliases"));
    }

    [Fact]
    public void Several_processes_creating_and_writing_one_store_lose_nothing()
    {
        const int processes = 6, iterations = 60;
        var home = _temp.Home();
        var host = Path.Combine(AppContext.BaseDirectory, "Climux.TestHost.dll");
        var running = Enumerable.Range(0, processes).Select(i =>
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "exec", host, "store-hammer", home.Root, iterations.ToString(), $"p{i}" })
                start.ArgumentList.Add(a);
            return Process.Start(start)!;
        }).ToList();

        foreach (var process in running)
        {
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"a writer failed: {error}");
            Assert.DoesNotContain("database is locked", error);
        }

        var store = ClimuxStore.Open(home);
        Assert.Equal(processes * iterations, Scalar<int>(store, "SELECT n FROM hammer_counter"));
        Assert.Equal(processes * iterations, Scalar<int>(store, "SELECT count(*) FROM hammer_rows"));
        Assert.Equal(processes, Scalar<int>(store, "SELECT count(DISTINCT tag) FROM hammer_rows"));
        Assert.Equal(Migrations.Latest, Scalar<int>(store, "PRAGMA user_version"));
    }

    private static ClimuxStore ReopenWith(Climux.Core.Paths.ClimuxHome home, IReadOnlyList<Migration> migrations)
    {
        SqliteConnection.ClearAllPools();
        // Opening is cached per process; a copy of the file under a new name is a fresh open.
        var copy = new Climux.Core.Paths.ClimuxHome(home.Root + "-reopened");
        Directory.CreateDirectory(copy.Root);
        File.Copy(home.DatabaseFile, copy.DatabaseFile, overwrite: true);
        foreach (var sidecar in new[] { "-wal", "-shm" })
            if (File.Exists(home.DatabaseFile + sidecar))
                File.Copy(home.DatabaseFile + sidecar, copy.DatabaseFile + sidecar, overwrite: true);
        return ClimuxStore.Open(copy, migrations);
    }

    private static void Exec(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
