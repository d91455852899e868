using System.Collections.Concurrent;
using Climux.Core.Paths;
using Climux.Core.Platform;
using Microsoft.Data.Sqlite;

namespace Climux.Core.Store;

/// <summary>
/// The shared SQLite store: one file that every PowerShell process on the machine uses at once.
/// WAL lets readers go on while one writer commits; every write that reads before it writes
/// runs in <c>BEGIN IMMEDIATE</c>, so writers queue on SQLite's lock instead of failing mid-way.
/// </summary>
public sealed class ClimuxStore
{
    /// <summary>How long a statement waits for another process's write lock before it fails.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(60);

    private static readonly ConcurrentDictionary<string, object> Prepared = new(StringComparer.Ordinal);
    private readonly string _connectionString;

    private ClimuxStore(string path)
    {
        DatabasePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
    }

    public string DatabasePath { get; }

    /// <summary>Opens the store under <paramref name="home"/>, creating and migrating it the first time.</summary>
    public static ClimuxStore Open(ClimuxHome home) => Open(home, Migrations.All);

    internal static ClimuxStore Open(ClimuxHome home, IReadOnlyList<Migration> migrations)
    {
        var store = new ClimuxStore(home.DatabaseFile);
        // Once per process and file; a file deleted behind our back (a test's temp folder) is prepared again.
        if (!Prepared.ContainsKey(home.DatabaseFile) || !File.Exists(home.DatabaseFile))
        {
            lock (Prepared)
            {
                if (!Prepared.ContainsKey(home.DatabaseFile) || !File.Exists(home.DatabaseFile))
                {
                    home.EnsureCreated();
                    OwnerOnly.EnsureFile(home.DatabaseFile);
                    using var connection = store.Connect();
                    Execute(connection, "PRAGMA journal_mode=WAL;");
                    StoreMigrator.Migrate(connection, home.DatabaseFile, migrations);
                    Prepared[home.DatabaseFile] = true;
                }
            }
        }
        return store;
    }

    /// <summary>An open connection with the busy timeout and foreign keys on. Dispose it.</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one <c>BEGIN IMMEDIATE</c> transaction and commits it.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    public void Write(Action<SqliteConnection, SqliteTransaction> work) =>
        Write<object?>((c, t) => { work(c, t); return null; });

    public T Read<T>(Func<SqliteConnection, T> work)
    {
        using var connection = Connect();
        return work(connection);
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
