namespace Climux.Core.FanIn;

public enum WorktreeChangeStatus { Added, Modified, Deleted, Renamed }

/// <summary>One file a worktree changed against its base, committed and uncommitted work together.</summary>
public sealed class ClimuxWorktreeChange
{
    public required string Worktree { get; init; }
    /// <summary>The file's path, relative to the repository's top (its new path for a rename).</summary>
    public required string Path { get; init; }
    /// <summary>The path it had at the base, for a rename; else null.</summary>
    public string? OldPath { get; init; }
    public WorktreeChangeStatus Status { get; init; }
    public int LinesAdded { get; init; }
    public int LinesRemoved { get; init; }
    public bool Binary { get; init; }
    /// <summary>The unified diff, with -Patch; else null.</summary>
    public string? Patch { get; init; }

    public override string ToString() =>
        $"{Worktree}: {Status} {(OldPath is null ? Path : $"{OldPath} -> {Path}")}{(Binary ? " (binary)" : $" +{LinesAdded} -{LinesRemoved}")}";
}
