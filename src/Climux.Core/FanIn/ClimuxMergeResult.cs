namespace Climux.Core.FanIn;

public enum ClimuxMergeStatus
{
    /// <summary>The target's branch moved forward to the worktree's commit.</summary>
    FastForward,
    /// <summary>A merge commit (or with -Squash, one commit) was made.</summary>
    Merged,
    /// <summary>The target already had every commit of the worktree.</summary>
    UpToDate,
    /// <summary>Merging would conflict: the target was left as it was.</summary>
    Conflicted,
    /// <summary>The test command failed after the merge, which was undone.</summary>
    TestFailed,
    /// <summary>A resolver settled the conflicts; Climux checked them and made the merge commit.</summary>
    Resolved,
}

/// <summary>What merging one worktree into the target did.</summary>
public sealed class ClimuxMergeResult
{
    /// <summary>The worktree merged.</summary>
    public required string Worktree { get; init; }
    /// <summary>The worktree merged into.</summary>
    public required string Into { get; init; }
    public ClimuxMergeStatus Status { get; init; }
    /// <summary>The target's commit afterwards (for Conflicted and TestFailed, the one it stayed at).</summary>
    public string? Commit { get; init; }
    /// <summary>The conflicted paths, for Conflicted (and Resolved).</summary>
    public string[] Conflicts { get; init; } = [];
    /// <summary>The end of the test command's output, when -Test ran.</summary>
    public string? TestOutput { get; init; }
    /// <summary>The session that tried to resolve the conflicts, if one did.</summary>
    public string? ResolutionSessionId { get; init; }
    /// <summary>Why it ended so, in a sentence.</summary>
    public string? Message { get; init; }

    public override string ToString() =>
        $"{Worktree} -> {Into}: {Status}{(Commit is null ? "" : " " + Commit[..Math.Min(7, Commit.Length)])}{(Conflicts.Length > 0 ? $" ({string.Join(", ", Conflicts)})" : "")}";
}
