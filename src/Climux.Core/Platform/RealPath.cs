namespace Climux.Core.Platform;

/// <summary>Paths with their symbolic links followed, to tell whether a file really lies inside a folder.</summary>
public static class RealPath
{
    private const int MaxLinks = 40;

    /// <summary>
    /// The absolute path with every symbolic link in it resolved, component by component (as
    /// realpath(3) does, also for a path that does not exist yet); null for a link loop.
    /// </summary>
    public static string? Of(string path) => Of(path, 0);

    private static string? Of(string path, int links)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var resolved = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (part.Length == 0)
                continue;
            var next = Path.Combine(resolved, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks || Of(Path.Combine(resolved, target), links) is not { } real)
                    return null;
                next = real;
            }
            resolved = next;
        }
        return resolved;
    }

    /// <summary>Whether <paramref name="path"/>, links followed, is <paramref name="folder"/> or inside it (links followed too).</summary>
    public static bool IsInside(string path, string folder) =>
        Of(path) is { } real && Of(folder) is { } top &&
        (real == top || real.StartsWith(Path.EndsInDirectorySeparator(top) ? top : top + Path.DirectorySeparatorChar, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
}
