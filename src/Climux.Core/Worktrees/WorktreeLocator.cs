using LibGit2Sharp;

namespace Climux.Core.Worktrees;

/// <summary>Finds a linked worktree of a repository by name.</summary>
public static class WorktreeLocator
{
    /// <summary>The folder of the worktree called <paramref name="name"/> (git's name, or its folder's name); null if none.</summary>
    public static string? FindPath(string workspaceRoot, string name)
    {
        var gitDir = Repository.Discover(workspaceRoot);
        if (gitDir is null)
            return null;
        using var repository = new Repository(gitDir);
        foreach (var worktree in repository.Worktrees)
        {
            using var linked = worktree.WorktreeRepository;
            var path = linked.Info.WorkingDirectory.TrimEnd('/', '\\');
            if (worktree.Name == name || Path.GetFileName(path) == name)
                return path;
        }
        return null;
    }
}
