using System.Globalization;

namespace Climux.Core.Store;

public enum StoreHealth
{
    /// <summary>The integrity check found nothing wrong.</summary>
    Ok,
    /// <summary>There is no store yet; the first Climux command creates it.</summary>
    Missing,
    /// <summary>The database is damaged.</summary>
    Corrupt,
    /// <summary>The database could not be opened or read (permissions, locks, a missing server).</summary>
    Unavailable,
    /// <summary>A newer Climux wrote it; this one does not know its schema.</summary>
    TooNew,
}

/// <summary>What Test-ClimuxStore (climux store check) found.</summary>
public sealed class ClimuxStoreCheck
{
    /// <summary>The database file, or the server and database.</summary>
    public required string Path { get; init; }
    public StoreHealth Health { get; init; }
    /// <summary>True for Ok and Missing: Climux can use the store.</summary>
    public bool Healthy => Health is StoreHealth.Ok or StoreHealth.Missing;
    /// <summary>The schema version the store is at; 0 when it could not be read.</summary>
    public int SchemaVersion { get; init; }
    /// <summary>The newest schema version this Climux knows.</summary>
    public int SupportedVersion { get; init; }
    /// <summary>"ok", or what the database's own integrity check (or opening it) reported.</summary>
    public required string Integrity { get; init; }
    /// <summary>Sessions in the store; null when they could not be counted.</summary>
    public long? Sessions { get; init; }
    /// <summary>How to recover, when the store is not healthy.</summary>
    public string? Advice { get; init; }

    /// <summary>What a store that failed to open or read with <paramref name="failure"/> reports.</summary>
    public static ClimuxStoreCheck Failed(StoreException failure, int supportedVersion) => new()
    {
        Path = failure.StorePath,
        Health = failure switch { StoreCorruptException => StoreHealth.Corrupt, StoreVersionException => StoreHealth.TooNew, _ => StoreHealth.Unavailable },
        SchemaVersion = failure is StoreVersionException tooNew ? tooNew.StoreVersion : 0,
        SupportedVersion = supportedVersion,
        Integrity = failure switch { StoreCorruptException c => c.Detail, StoreUnavailableException u => u.Detail, _ => failure.Message },
        Advice = failure.Message,
    };

    public override string ToString() =>
        $"{Path}: {Health}, schema {SchemaVersion}/{SupportedVersion}, {Sessions?.ToString(CultureInfo.InvariantCulture) ?? "?"} sessions, integrity {Integrity}";
}
