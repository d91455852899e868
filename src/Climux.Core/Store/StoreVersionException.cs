namespace Climux.Core.Store;

/// <summary>The store was written by a newer Climux whose schema this build does not know.</summary>
public sealed class StoreVersionException(string path, int storeVersion, int supportedVersion)
    : Exception($"The store '{path}' has schema version {storeVersion}, but this Climux knows versions up to {supportedVersion}. " +
                "It was written by a newer Climux: update the module, or point CLIMUX_HOME at another folder.")
{
    public string StorePath { get; } = path;
    public int StoreVersion { get; } = storeVersion;
    public int SupportedVersion { get; } = supportedVersion;
}
