namespace Climux.Core.Store;

/// <summary>The store cannot be used; the message names it and says how to recover.</summary>
public abstract class StoreException(string location, string message, Exception? inner) : Exception(message, inner)
{
    /// <summary>The database file, or the server and database.</summary>
    public string StorePath { get; } = location;
}

/// <summary>The store was written by a newer Climux whose schema this build does not know.</summary>
public sealed class StoreVersionException(string path, int storeVersion, int supportedVersion)
    : StoreException(path, $"The store '{path}' has schema version {storeVersion}, but this Climux knows versions up to {supportedVersion}. " +
                           "It was written by a newer Climux: update the module, or point CLIMUX_HOME at another folder.", null)
{
    public int StoreVersion { get; } = storeVersion;
    public int SupportedVersion { get; } = supportedVersion;
}

/// <summary>The store's file is damaged (not a database, or pages that do not add up).</summary>
public sealed class StoreCorruptException(string path, string detail, Exception? inner = null)
    : StoreException(path, $"The Climux store '{path}' is damaged: {detail}. " +
                           $"Move it aside and Climux starts a new, empty one: mv '{path}' '{path}.damaged' " +
                           $"(also any '{Path.GetFileName(path)}-wal' and '-shm' beside it). Its sessions may be recoverable with: sqlite3 '{path}.damaged' .recover. " +
                           "Test-ClimuxStore (climux store check) reports the store's state.", inner)
{
    public string Detail { get; } = detail;
}

/// <summary>The store cannot be opened or written now: permissions, a full disk, a lock held too long, a missing server.</summary>
public sealed class StoreUnavailableException(string path, string detail, Exception? inner = null, string? advice = null)
    : StoreException(path, $"The Climux store '{path}' cannot be used: {detail}. " +
                           (advice ?? $"Check that its folder and file are yours and writable (chmod 700 '{Path.GetDirectoryName(path)}'; chmod 600 '{path}'), " +
                                      "that the disk is not full, and that CLIMUX_HOME points where you mean; then try again."), inner)
{
    public string Detail { get; } = detail;
}
