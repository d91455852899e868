namespace Climux.Core.FanIn;

/// <summary>What kind of conflict merging two lines of work would produce, in git's terms.</summary>
public enum ConflictKind
{
    /// <summary>Both sides changed the same lines of a file (git: content; also two types of file at one path).</summary>
    Content,
    /// <summary>Both sides added a different file at one path (git: add/add, rename/add, two renames to one path, file/directory).</summary>
    AddAdd,
    /// <summary>One side changed a file the other deleted (git: modify/delete).</summary>
    ModifyDelete,
    /// <summary>A rename the other side cannot follow (git: rename/rename, rename/delete, file location after a directory rename).</summary>
    Rename,
}

/// <summary>A conflict that merging two worktrees (or a worktree and its base branch) would produce at one path.</summary>
public sealed class ClimuxConflict
{
    /// <summary>The worktree.</summary>
    public required string Worktree { get; init; }
    /// <summary>The other worktree's name, or the base branch's name.</summary>
    public required string Other { get; init; }
    /// <summary>The path in the merged result, relative to the repository's top.</summary>
    public required string Path { get; init; }
    public ConflictKind Kind { get; init; }

    public override string ToString() => $"{Worktree} <> {Other}: {Path} ({Kind})";
}

/// <summary>A conflict of one merge: where, and what kind.</summary>
public sealed record PredictedConflict(string Path, ConflictKind Kind);
