using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Climux.Core.Store;

/// <summary>
/// A PostgreSQL store that several machines share. Decisions run in a READ COMMITTED transaction
/// that first takes a transaction-scoped advisory lock, so they happen one at a time across every
/// process of every machine, and each statement after it sees what the previous holder committed.
/// The schema version lives in the table <c>climux_schema</c>. The connection string names no
/// password: Npgsql takes it from PGPASSWORD or a pgpass file.
/// </summary>
public sealed class PostgresDialect : StoreDialect
{
    // The advisory lock's first key says "Climux"; the second is the schema, so stores in two
    // schemas of one database do not wait for each other.
    private const int LockClass = 0x436C6D78;

    private readonly NpgsqlDataSource _source;
    private readonly object _gate = new();
    private bool _prepared;

    public PostgresDialect(string connectionString) : this(connectionString, PostgresSchema.All)
    {
    }

    internal PostgresDialect(string connectionString, IReadOnlyList<Migration> migrations)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new StoreUnavailableException("postgres", $"its connection string cannot be read ({e.Message})", e, Advice("postgres"));
        }
        Location = Describe(settings);
        Migrations = migrations;
        settings.ApplicationName ??= "climux";
        _source = new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
    }

    // A server restarting, a network blip, a full connection table: opening a connection is tried
    // again with backoff (about 3 s in all) before the store is reported unavailable.
    private static readonly ResiliencePipeline Reconnect = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e => e.IsTransient).Handle<TimeoutException>(),
            MaxRetryAttempts = 4,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    /// <summary>Server, port and database (never the password): what messages name.</summary>
    public override string Location { get; }

    public override IReadOnlyList<Migration> Migrations { get; }

    internal NpgsqlDataSource Source => _source;

    public override string InsertionOrder => "seq";

    // Insertion happens under the decision lock, so seq is the order the server queued them in,
    // whatever the machines' clocks say.
    public override string QueueOrder => "seq";

    public override bool IsShared => true;

    /// <summary>The server and database a connection string names, for messages.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            return Describe(new NpgsqlConnectionStringBuilder(connectionString));
        }
        catch (ArgumentException)
        {
            return "postgres";
        }
    }

    private static string Describe(NpgsqlConnectionStringBuilder settings) =>
        $"postgres://{settings.Host ?? "localhost"}:{settings.Port}/{settings.Database ?? settings.Username ?? ""}" +
        (string.IsNullOrEmpty(settings.SearchPath) ? "" : $"?search_path={settings.SearchPath}");

    public override DbConnection Connect()
    {
        if (!Volatile.Read(ref _prepared))
            Prepare();
        return Reconnect.Execute(() => _source.OpenConnection());
    }

    private void Prepare()
    {
        lock (_gate)
        {
            if (_prepared)
                return;
            using var connection = Reconnect.Execute(() => _source.OpenConnection());
            Migrate(connection);
            Volatile.Write(ref _prepared, true);
        }
    }

    public override DbTransaction BeginDecision(DbConnection connection)
    {
        var transaction = ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.ReadCommitted);
        using var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockClass}, hashtext(current_schema()))", (NpgsqlConnection)connection, transaction);
        command.ExecuteNonQuery();
        return transaction;
    }

    public override int ReadVersion(DbConnection connection, DbTransaction? transaction)
    {
        using var exists = new NpgsqlCommand("SELECT to_regclass('climux_schema') IS NOT NULL", (NpgsqlConnection)connection, (NpgsqlTransaction?)transaction);
        if (exists.ExecuteScalar() is not true)
            return 0;
        using var command = new NpgsqlCommand("SELECT COALESCE(max(version), 0) FROM climux_schema", (NpgsqlConnection)connection, (NpgsqlTransaction?)transaction);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public override void WriteVersion(DbConnection connection, DbTransaction transaction, int version)
    {
        using var command = new NpgsqlCommand(
            $"CREATE TABLE IF NOT EXISTS climux_schema (version integer NOT NULL); DELETE FROM climux_schema; INSERT INTO climux_schema VALUES ({version})",
            (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.ExecuteNonQuery();
    }

    public override string Total(string expression) => $"COALESCE(sum(({expression})::double precision), 0)";

    public override string Day(string offsetSeconds) =>
        $"to_char(to_timestamp(queued_at / 1000 + ({offsetSeconds})) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";

    // PostgreSQL checks its pages as it reads them (and reports XX001 when one does not add up);
    // a cheap read of every table's size is what is left to ask for.
    public override IReadOnlyList<string> CheckIntegrity(DbConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT count(*) FROM sessions", (NpgsqlConnection)connection);
        command.ExecuteScalar();
        return [];
    }

    public override StoreException? Translate(Exception exception) => exception switch
    {
        StoreException known => known,
        PostgresException { SqlState: "XX001" or "XX002" } e => new StoreCorruptException(Location, e.MessageText, e),
        PostgresException e when IsUnavailable(e.SqlState) => Unavailable(e.MessageText, e),
        PostgresException => null,
        NpgsqlException e => Unavailable(e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message, e),
        SocketException or TimeoutException or IOException => Unavailable(exception.Message, exception),
        _ => null,
    };

    /// <summary>
    /// Connection and resource failures, shutdowns, a missing database, refused logins and lost
    /// serialization (which a retry settles).
    /// </summary>
    private static bool IsUnavailable(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal) ||
        state.StartsWith("57P", StringComparison.Ordinal) || state.StartsWith("28", StringComparison.Ordinal) ||
        state is "3D000" or "40001" or "40P01" or "55P03" or "42501";

    private StoreUnavailableException Unavailable(string detail, Exception inner) => new(Location, detail, inner, Advice(Location));

    private static string Advice(string location) =>
        $"Check that the PostgreSQL server of {location} is running and reachable from this machine, that its database exists, " +
        "and that the password is in PGPASSWORD or a pgpass file (never in the connection string); Test-ClimuxStore reports the store's state.";

    public override void Dispose() => _source.Dispose();
}
