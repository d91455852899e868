using System.Data.Common;
using System.Globalization;
using Climux.Core.Paths;
using Climux.Core.Platform;
using Microsoft.Data.Sqlite;

namespace Climux.Core.Store;

/// <summary>
/// The embedded store: one SQLite file (<c>$CLIMUX_HOME/climux.db</c>) that every process on the
/// machine uses at once. WAL lets readers go on while one writer commits; decisions run in
/// <c>BEGIN IMMEDIATE</c>, so writers queue on SQLite's lock (up to <see cref="BusyTimeout"/>)
/// instead of failing mid-way. The schema version lives in <c>PRAGMA user_version</c>.
/// </summary>
public sealed class SqliteDialect : StoreDialect
{
    /// <summary>How long a statement waits for another process's write lock before it fails.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(60);

    private readonly ClimuxHome _home;
    private readonly string _connectionString;
    private readonly object _gate = new();
    private bool _prepared;

    public SqliteDialect(ClimuxHome home) : this(home, SqliteSchema.All)
    {
    }

    internal SqliteDialect(ClimuxHome home, IReadOnlyList<Migration> migrations)
    {
        _home = home;
        Migrations = migrations;
        _connectionString = ConnectionString(home.DatabaseFile, SqliteOpenMode.ReadWriteCreate);
    }

    public override string Location => _home.DatabaseFile;

    public override IReadOnlyList<Migration> Migrations { get; }

    public override string InsertionOrder => "rowid";

    public override bool KeepsStatsRollups => ReadsStatsRollups && LatestVersion >= SqliteSchema.StatsRollupsVersion;

    /// <summary>False: stats add up every session, as before the rollups (the bench compares the two).</summary>
    internal bool ReadsStatsRollups { get; init; } = true;

    // A big write-ahead log otherwise stays until the last connection of some later process closes,
    // which then copies it all into the file (tens of seconds for a million sessions), and every
    // reader until then looks each page up in it.
    public override void AfterBulkWrite(DbConnection connection) => Execute((SqliteConnection)connection, "PRAGMA wal_checkpoint(TRUNCATE);");

    public override DbConnection Connect()
    {
        // Pooled connections keep the file they opened, and would go on with a file deleted,
        // emptied or overwritten behind this process's back; a look at its header first (cheap:
        // it is in the page cache) catches that. A file gone or empty is made again (its rows are
        // gone; the runs of this process write theirs again when they find them missing); a file
        // that is no longer a database is reported by a fresh connection.
        var header = Header();
        if (header is FileHeader.Missing or FileHeader.Empty)
            Prepare(recreate: true);
        else
        {
            if (header == FileHeader.Foreign)
                ClearPool();
            if (!Volatile.Read(ref _prepared))
                Prepare(recreate: false);
        }
        return Open(_connectionString);
    }

    private enum FileHeader { Missing, Empty, Sqlite, Foreign, Unreadable }

    private FileHeader Header()
    {
        try
        {
            using var file = new FileStream(Location, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            if (file.Length == 0)
                return FileHeader.Empty;
            Span<byte> header = stackalloc byte[16];
            return file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header.SequenceEqual("SQLite format 3\0"u8)
                ? FileHeader.Sqlite
                : FileHeader.Foreign;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileHeader.Missing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileHeader.Unreadable; // SQLite says why when it opens it
        }
    }

    public override DbTransaction BeginDecision(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override int ReadVersion(DbConnection connection, DbTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public override void WriteVersion(DbConnection connection, DbTransaction transaction, int version) =>
        Execute((SqliteConnection)connection, $"PRAGMA user_version={version};", (SqliteTransaction)transaction);

    // total() is SQLite's sum that returns a float and never fails with "integer overflow".
    public override string Total(string expression) => $"total({expression})";

    public override string Day(string offsetSeconds) => $"date(queued_at / 1000 + ({offsetSeconds}), 'unixepoch')";

    public override IReadOnlyList<string> CheckIntegrity(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
            lines.Add(reader.GetString(0));
        return lines is ["ok"] ? [] : lines;
    }

    public override StoreException? Translate(Exception exception)
    {
        var failure = Translate(Location, exception);
        // Pooled connections may hold the damaged file (or one since moved aside): the next try starts afresh.
        if (failure is StoreCorruptException or StoreUnavailableException)
            ClearPool();
        return failure;
    }

    private static StoreException? Translate(string path, Exception exception) => exception switch
    {
        StoreException known => known,
        SqliteException { SqliteErrorCode: 11 or 26 } e => new StoreCorruptException(path, Detail(e), e),
        SqliteException { SqliteErrorCode: 5 or 6 } e => new StoreUnavailableException(path,
            $"another process kept it locked for longer than {BusyTimeout.TotalSeconds:0} s ({Detail(e)})", e),
        SqliteException { SqliteErrorCode: 3 or 8 or 10 or 13 or 14 or 15 or 22 or 23 } e => new StoreUnavailableException(path, Detail(e), e),
        UnauthorizedAccessException or IOException => new StoreUnavailableException(path, exception.Message, exception),
        _ => null,
    };

    public override void Dispose() => ClearPool();

    private void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Checks the file without creating or migrating it, so it works on a store too damaged to open.</summary>
    public static ClimuxStoreCheck Inspect(ClimuxHome home)
    {
        var path = home.DatabaseFile;
        var supported = SqliteSchema.Latest;
        if (!Path.Exists(path))
            return new ClimuxStoreCheck { Path = path, Health = StoreHealth.Missing, SupportedVersion = supported, Integrity = "ok", Sessions = 0 };
        var version = 0;
        try
        {
            using var connection = Open(ConnectionString(path, SqliteOpenMode.ReadWrite));
            var dialect = new SqliteDialect(home);
            version = dialect.ReadVersion(connection, null);
            var problems = dialect.CheckIntegrity(connection);
            long? sessions = null;
            if (version > 0 && problems.Count == 0)
            {
                using var count = connection.CreateCommand();
                count.CommandText = "SELECT count(*) FROM sessions";
                sessions = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            var health = problems.Count > 0 ? StoreHealth.Corrupt : version > supported ? StoreHealth.TooNew : StoreHealth.Ok;
            return new ClimuxStoreCheck
            {
                Path = path,
                Health = health,
                SchemaVersion = version,
                SupportedVersion = supported,
                Integrity = problems.Count == 0 ? "ok" : string.Join("; ", problems.Take(10)),
                Sessions = version == 0 ? 0 : sessions,
                Advice = health switch
                {
                    StoreHealth.Corrupt => new StoreCorruptException(path, "its integrity check failed").Message,
                    StoreHealth.TooNew => new StoreVersionException(path, version, supported).Message,
                    _ => null,
                },
            };
        }
        catch (Exception e) when (Translate(path, e) is { } failure)
        {
            return new ClimuxStoreCheck
            {
                Path = path,
                Health = failure is StoreCorruptException ? StoreHealth.Corrupt : StoreHealth.Unavailable,
                SchemaVersion = version,
                SupportedVersion = supported,
                Integrity = failure is StoreCorruptException corrupt ? corrupt.Detail : ((StoreUnavailableException)failure).Detail,
                Advice = failure.Message,
            };
        }
    }

    private void Prepare(bool recreate)
    {
        lock (_gate)
        {
            var header = Header();
            if (_prepared && header is not (FileHeader.Missing or FileHeader.Empty))
                return;
            if (_prepared && recreate)
            {
                // Close this process's connections to the old file before a new one exists, and
                // drop what is left of its journal, which must not be replayed into the new file.
                ClearPool();
                foreach (var sidecar in new[] { "-wal", "-shm" })
                    if (Header() is FileHeader.Missing or FileHeader.Empty && File.Exists(Location + sidecar))
                        File.Delete(Location + sidecar);
            }
            _home.EnsureCreated();
            OwnerOnly.EnsureFile(Location);
            using var connection = Open(_connectionString);
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Migrate(connection);
            Volatile.Write(ref _prepared, true);
        }
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Cache = SqliteCacheMode.Private,
        Pooling = mode == SqliteOpenMode.ReadWriteCreate,
        DefaultTimeout = (int)BusyTimeout.TotalSeconds,
    }.ToString();

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
            return connection;
        }
        catch
        {
            // Not back into the pool: it may hold a file that cannot be used.
            SqliteConnection.ClearPool(connection);
            connection.Dispose();
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static string Detail(SqliteException e) => e.Message.StartsWith("SQLite Error", StringComparison.Ordinal) && e.Message.IndexOf('\'') is var quote and > 0
        ? e.Message[(quote + 1)..].TrimEnd('.', '\'')
        : e.Message;
}
