using LibGit2Sharp;
using Climux.Core.Sessions;

namespace Climux.Core.Git;

/// <summary>Reads what a run starts from and what it changed, with libgit2.</summary>
public static class GitChanges
{
    /// <summary>The commit and branch checked out in <paramref name="directory"/>; nulls outside git or on an unborn branch.</summary>
    public static (string? Commit, string? Branch) Head(string directory)
    {
        var path = Repository.Discover(directory);
        if (path is null)
            return (null, null);
        using var repository = new Repository(path);
        var head = repository.Head;
        return (head.Tip?.Sha, repository.Info.IsHeadDetached ? null : head.FriendlyName);
    }

    /// <summary>
    /// Files and lines changed in the worktree at <paramref name="directory"/> since
    /// <paramref name="baseCommit"/>: commits made since, staged and unstaged edits, and new
    /// untracked files.
    /// </summary>
    public static DiffStats? Measure(string directory, string baseCommit)
    {
        var path = Repository.Discover(directory);
        if (path is null)
            return null;
        using var repository = new Repository(path);
        if (repository.Lookup<Commit>(baseCommit) is not { } commit)
            return null;

        // Against the working folder, libgit2 also counts untracked (not ignored) files as added.
        var stats = repository.Diff.Compare<PatchStats>(commit.Tree, DiffTargets.Index | DiffTargets.WorkingDirectory);
        return new DiffStats(stats.Count(), stats.TotalLinesAdded, stats.TotalLinesDeleted);
    }
}
