namespace Climux.Core.Worktrees;

/// <summary>One worktree of a repository, its git state and its Climux sessions.</summary>
public sealed class ClimuxWorktree
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    /// <summary>The repository (its main worktree) this worktree belongs to.</summary>
    public required string Workspace { get; init; }
    /// <summary>The branch checked out; null on a detached HEAD.</summary>
    public string? Branch { get; init; }
    /// <summary>The short commit id checked out.</summary>
    public string? Head { get; init; }
    /// <summary>The repository's own folder, which Climux never removes.</summary>
    public bool IsMain { get; init; }
    /// <summary>Made by New-ClimuxWorktree (others were made with git itself).</summary>
    public bool Managed { get; init; }
    public bool Locked { get; init; }
    /// <summary>Uncommitted changes or untracked files (files copied in by worktrees.copy aside).</summary>
    public bool Dirty { get; init; }
    /// <summary>The branch or commit it started from (the default branch for worktrees git made).</summary>
    public string? Base { get; init; }
    /// <summary>The branch it was created from (Base when that is a branch); null for a tag or a commit, and for the main worktree.</summary>
    public string? BaseBranch { get; init; }
    /// <summary>Commits on it that its base lacks.</summary>
    public int? Ahead { get; init; }
    /// <summary>Commits on its base that it lacks.</summary>
    public int? Behind { get; init; }
    /// <summary>Commits that are in neither its base nor its upstream, nor were merged by Merge-ClimuxWorktree.</summary>
    public bool Unmerged { get; init; }
    /// <summary>Files changed against its base (the merge base with Base), committed and uncommitted together; null for the main worktree.</summary>
    public int? ChangedFiles { get; init; }
    public int ActiveSessions { get; init; }
    public int TotalSessions { get; init; }
    /// <summary>The latest of its last commit, its last session and its creation.</summary>
    public DateTimeOffset? LastActivity { get; init; }

    public override string ToString() => $"{Name} ({Branch ?? Head}) {Path}";
}

/// <summary>Where a worktree is and what it was made from, read without its git state.</summary>
/// <param name="Base">The branch or commit it started from (the default branch for worktrees git made); null for the main worktree.</param>
/// <param name="BaseCommit">The commit its base was at when Climux made it; null for worktrees git made.</param>
public sealed record WorktreeLocation(string Name, string Path, bool IsMain, string? Base, string? BaseCommit, WorktreeRecord? Record, bool Locked);
