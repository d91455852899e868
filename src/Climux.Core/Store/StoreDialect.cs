using System.Data.Common;

namespace Climux.Core.Store;

/// <summary>
/// What differs between the databases <see cref="SqlStore"/> runs on: how to connect, how one
/// decision at a time is enforced, the schema and its versioning, a few SQL expressions, and which
/// failures mean a damaged or an unreachable store. Everything else is the same SQL.
/// </summary>
public abstract class StoreDialect : IDisposable
{
    /// <summary>What error messages name: the database file, or the server and database.</summary>
    public abstract string Location { get; }

    /// <summary>The schema's steps, oldest first.</summary>
    public abstract IReadOnlyList<Migration> Migrations { get; }

    public int LatestVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    /// <summary>An open connection, ready for use; the store is created and migrated first if need be. Dispose it.</summary>
    public abstract DbConnection Connect();

    /// <summary>
    /// A transaction that holds the store's decision lock from its start, so that decisions (admission,
    /// orphan reclaim, queueing into a busy folder) happen one at a time across every process.
    /// </summary>
    public abstract DbTransaction BeginDecision(DbConnection connection);

    public abstract int ReadVersion(DbConnection connection, DbTransaction? transaction);

    public abstract void WriteVersion(DbConnection connection, DbTransaction transaction, int version);

    /// <summary>A column that orders rows by insertion (ties of queued_at).</summary>
    public abstract string InsertionOrder { get; }

    /// <summary>The ORDER BY of the queue, oldest first: the order admission is strictly FIFO in.</summary>
    public virtual string QueueOrder => $"queued_at, {InsertionOrder}";

    /// <summary>
    /// A store that several machines share: sessions keep the repository's identity (workspace_key)
    /// beside its folder, since two clones of one repository there are one workspace.
    /// </summary>
    public virtual bool IsShared => false;

    /// <summary>An aggregate sum that cannot overflow, as a floating-point value (0 for no rows).</summary>
    public abstract string Total(string expression);

    /// <summary>The yyyy-MM-dd day of <c>queued_at</c> shifted by <paramref name="offsetSeconds"/> (an SQL expression).</summary>
    public abstract string Day(string offsetSeconds);

    /// <summary>Whether the schema has the stats rollups (<see cref="StatsRollups"/>); without them stats read every session.</summary>
    public virtual bool KeepsStatsRollups => false;

    /// <summary>
    /// After a write of many rows (a migration, a bulk restore): lets the database fold what it
    /// logged into its main file now, so the next process to open the store does not pay for it.
    /// </summary>
    public virtual void AfterBulkWrite(DbConnection connection)
    {
    }

    /// <summary>What the database's own integrity check reports; empty when it finds nothing wrong.</summary>
    public abstract IReadOnlyList<string> CheckIntegrity(DbConnection connection);

    /// <summary>The store exception a failure of the database stands for; null for anything else (a bug, a constraint).</summary>
    public abstract StoreException? Translate(Exception exception);

    /// <summary>Releases pooled connections.</summary>
    public virtual void Dispose()
    {
    }

    /// <summary>Brings a store up to the newest schema, one writer at a time.</summary>
    protected void Migrate(DbConnection connection)
    {
        var latest = LatestVersion;
        var version = ReadVersion(connection, null);
        if (version > latest)
            throw new StoreVersionException(Location, version, latest);
        if (version == latest)
            return;

        // Several processes may open a new store at once: the decision lock lets one migrate, and
        // the others read the version again once they hold it.
        using var transaction = BeginDecision(connection);
        version = ReadVersion(connection, transaction);
        if (version > latest)
            throw new StoreVersionException(Location, version, latest);
        foreach (var migration in Migrations.Where(m => m.Version > version))
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = migration.Sql;
            command.ExecuteNonQuery();
            WriteVersion(connection, transaction, migration.Version);
        }
        transaction.Commit();
        AfterBulkWrite(connection);
    }
}
