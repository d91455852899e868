using Climux.Core.Platform;

namespace Climux.Core.Paths;

/// <summary>The Climux data folder: <c>CLIMUX_HOME</c>, else <c>~/.climux</c>.</summary>
public sealed class ClimuxHome
{
    public const string EnvironmentVariable = "CLIMUX_HOME";

    public ClimuxHome(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }
    public string ConfigFile => Path.Combine(Root, "config.yaml");
    public string DatabaseFile => Path.Combine(Root, "climux.db");
    public string LogsDirectory => Path.Combine(Root, "logs");

    /// <summary>
    /// Reads <c>CLIMUX_HOME</c> now (not once per process: a PowerShell session may change it).
    /// A relative value is taken against <paramref name="baseDirectory"/>, which for a cmdlet is
    /// PowerShell's current location rather than the process's working directory.
    /// </summary>
    public static ClimuxHome FromEnvironment(string? baseDirectory = null)
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrWhiteSpace(value))
            return new ClimuxHome(Path.Combine(home, ".climux"));
        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal) || value.StartsWith("~\\", StringComparison.Ordinal))
            value = Path.Combine(home, value.Length > 2 ? value[2..] : "");
        return new ClimuxHome(Path.IsPathRooted(value) ? value : Path.Combine(baseDirectory ?? Environment.CurrentDirectory, value));
    }

    /// <summary>
    /// Creates the folder and its <c>logs/</c> with owner-only permissions, whatever the umask; a
    /// folder that exists already keeps its mode (see <see cref="PermissionWarning"/>).
    /// </summary>
    public void EnsureCreated()
    {
        OwnerOnly.EnsureDirectory(Root);
        OwnerOnly.EnsureDirectory(LogsDirectory);
    }

    /// <summary>A warning when the folder exists and other users may write to it (CLIMUX_HOME=/tmp); null otherwise.</summary>
    public string? PermissionWarning() => OwnerOnly.WritableByOthersWarning(Root, EnvironmentVariable);

    public override string ToString() => Root;
}
