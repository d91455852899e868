using Climux.Core.Config;
using Climux.Core.Paths;

namespace Climux.Core.Store;

/// <summary>
/// Opens the store a Climux home uses: a shared PostgreSQL when <c>CLIMUX_STORE</c> or the user's
/// config (<c>store.postgres</c>) names one, else the embedded SQLite file.
/// </summary>
public static class ClimuxStore
{
    /// <summary>The environment variable that names a PostgreSQL store (an Npgsql connection string), over the config.</summary>
    public const string EnvironmentVariable = "CLIMUX_STORE";

    /// <summary>Opens (creating and migrating when new) the store of <paramref name="home"/>. Dispose it.</summary>
    /// <exception cref="StoreException">The store is damaged, unreachable, or from a newer Climux.</exception>
    public static IClimuxStore Open(ClimuxHome home) => Open(home, Settings(home));

    /// <summary>Opens the store <paramref name="settings"/> names. Dispose it.</summary>
    public static IClimuxStore Open(ClimuxHome home, StoreConfig settings) => string.IsNullOrWhiteSpace(settings.Postgres)
        ? new SqlStore(new SqliteDialect(home))
        : OpenPostgres(settings.Postgres);

    /// <summary>Opens (creating and migrating when new) the PostgreSQL store a connection string names. Dispose it.</summary>
    public static IClimuxStore OpenPostgres(string connectionString)
    {
        var dialect = new PostgresDialect(connectionString);
        try
        {
            return new SqlStore(dialect);
        }
        catch
        {
            dialect.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Which store <paramref name="home"/> uses: <c>CLIMUX_STORE</c>, else the user config's
    /// <c>store</c> section (a project config may not set it).
    /// </summary>
    /// <exception cref="ConfigException">The user config names a store but cannot be read.</exception>
    public static StoreConfig Settings(ClimuxHome home)
    {
        StoreConfig settings;
        // A config file that names no store is not read here: a mistake elsewhere in it must not
        // keep the embedded store from opening (it is reported where the config is used).
        settings = File.Exists(home.ConfigFile) && File.ReadAllText(home.ConfigFile).Contains("store", StringComparison.Ordinal)
            ? ConfigLoader.Load(home, null).Config.Store
            : new StoreConfig();
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            settings = new StoreConfig { Postgres = fromEnvironment, LeaseSeconds = settings.LeaseSeconds };
        return settings;
    }

    /// <summary>Checks the store of <paramref name="home"/> without creating or migrating it, so it works on one too damaged to open.</summary>
    public static ClimuxStoreCheck Check(ClimuxHome home)
    {
        var settings = Settings(home);
        if (string.IsNullOrWhiteSpace(settings.Postgres))
            return SqliteDialect.Inspect(home);
        try
        {
            using var store = OpenPostgres(settings.Postgres);
            return store.Check();
        }
        catch (StoreException e)
        {
            return ClimuxStoreCheck.Failed(e, PostgresSchema.Latest);
        }
    }

    /// <summary>The change signal that goes with the store of <paramref name="home"/>. Dispose it.</summary>
    public static IStoreSignal OpenSignal(ClimuxHome home) => OpenSignal(home, Settings(home));

    /// <summary>The change signal of the store <paramref name="settings"/> names. Dispose it.</summary>
    public static IStoreSignal OpenSignal(ClimuxHome home, StoreConfig settings) => string.IsNullOrWhiteSpace(settings.Postgres)
        ? new FileStoreSignal(home)
        : new PostgresStoreSignal(settings.Postgres);
}
