namespace Climux.Core.Providers;

/// <summary>Finds an executable the way a shell would: a path as given, a bare name on PATH.</summary>
public static class CommandResolver
{
    /// <summary>A Windows batch file, whose arguments cmd.exe parses again: no prompt may go through them.</summary>
    public static bool IsBatchFile(string path) =>
        OperatingSystem.IsWindows() && Path.GetExtension(path).ToLowerInvariant() is ".cmd" or ".bat";

    public static string? Resolve(string command, string? searchPath = null, string? baseDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(command))
            return null;
        if (command.StartsWith("~/", StringComparison.Ordinal))
            command = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), command[2..]);

        if (command.Contains('/') || command.Contains(Path.DirectorySeparatorChar))
        {
            var full = Path.GetFullPath(command, baseDirectory ?? Environment.CurrentDirectory);
            return Candidates(full).FirstOrDefault(IsExecutable);
        }

        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        return searchPath
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(dir => Candidates(Path.Combine(dir, command)))
            .FirstOrDefault(IsExecutable);
    }

    private static IEnumerable<string> Candidates(string path)
    {
        // On Windows a name without extension (npm's sh shim beside claude.cmd) cannot be started.
        if (!OperatingSystem.IsWindows() || Path.HasExtension(path))
        {
            yield return path;
            yield break;
        }
        var extensions = (Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").Split(';', StringSplitOptions.RemoveEmptyEntries);
        foreach (var extension in extensions)
            yield return path + extension;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
            return false;
        if (OperatingSystem.IsWindows())
            return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
