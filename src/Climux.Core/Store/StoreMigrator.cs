using Microsoft.Data.Sqlite;

namespace Climux.Core.Store;

/// <summary>Brings a store up to the newest schema; the version lives in <c>PRAGMA user_version</c>.</summary>
internal static class StoreMigrator
{
    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        command.Transaction = transaction;
        return Convert.ToInt32(command.ExecuteScalar());
    }

    public static void Migrate(SqliteConnection connection, string path, IReadOnlyList<Migration> migrations)
    {
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var version = ReadVersion(connection);
        if (version > latest)
            throw new StoreVersionException(path, version, latest);
        if (version == latest)
            return;

        // Several processes may open a new store at once: the write lock lets one migrate, and the
        // others read the version again once they hold it.
        using var transaction = connection.BeginTransaction(deferred: false);
        version = ReadVersion(connection, transaction);
        if (version > latest)
            throw new StoreVersionException(path, version, latest);
        foreach (var migration in migrations.Where(m => m.Version > version))
        {
            ClimuxStore.Execute(connection, migration.Sql, transaction);
            ClimuxStore.Execute(connection, $"PRAGMA user_version={migration.Version};", transaction);
        }
        transaction.Commit();
    }
}
