namespace Climux.Core.Workspaces;

/// <summary>
/// Finds the repository a folder belongs to without starting git: the workspace is the
/// repository as a whole, so a folder in any of its linked worktrees maps to the main worktree.
/// </summary>
public static class WorkspaceLocator
{
    /// <summary>The top folder of the worktree that holds <paramref name="directory"/>; null outside git.</summary>
    public static string? FindWorktreeTop(string directory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
        {
            var dotGit = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(dotGit) || File.Exists(dotGit))
                return dir.FullName;
        }
        return null;
    }

    /// <summary>
    /// The main worktree's top folder of the repository that holds <paramref name="directory"/>
    /// (for a bare repository, its git folder); null outside git.
    /// </summary>
    public static string? FindWorkspaceRoot(string directory)
    {
        var top = FindWorktreeTop(directory);
        if (top is null)
            return null;
        var dotGit = Path.Combine(top, ".git");
        if (Directory.Exists(dotGit))
            return top;

        // A linked worktree's .git file says "gitdir: <repo>/.git/worktrees/<name>", and that folder's
        // "commondir" leads back to the repository's own git folder.
        var gitDir = ReadPointer(dotGit, "gitdir:", top);
        if (gitDir is null)
            return top;
        var commonDirFile = Path.Combine(gitDir, "commondir");
        if (!File.Exists(commonDirFile))
            return top; // a submodule: its checkout is its own workspace
        var commonDir = Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(commonDirFile).Trim()));
        return Path.GetFileName(commonDir.TrimEnd(Path.DirectorySeparatorChar)) == ".git"
            ? Path.GetDirectoryName(commonDir.TrimEnd(Path.DirectorySeparatorChar))
            : commonDir;
    }

    private static string? ReadPointer(string file, string prefix, string baseDirectory)
    {
        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (line is null)
            return null;
        var target = line[prefix.Length..].Trim();
        return Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(baseDirectory, target));
    }
}
