using Climux.Core.Paths;

namespace Climux.Core.Store;

/// <summary>Opens the store a Climux home uses: the embedded SQLite file today.</summary>
public static class ClimuxStore
{
    /// <summary>Opens (creating and migrating when new) the store of <paramref name="home"/>. Dispose it.</summary>
    /// <exception cref="StoreException">The store is damaged, unreachable, or from a newer Climux.</exception>
    public static IClimuxStore Open(ClimuxHome home) => new SqlStore(new SqliteDialect(home));

    /// <summary>Checks the store of <paramref name="home"/> without creating or migrating it, so it works on one too damaged to open.</summary>
    public static ClimuxStoreCheck Check(ClimuxHome home) => SqliteDialect.Inspect(home);

    /// <summary>The change signal that goes with the store of <paramref name="home"/>. Dispose it.</summary>
    public static IStoreSignal OpenSignal(ClimuxHome home) => new FileStoreSignal(home);
}
