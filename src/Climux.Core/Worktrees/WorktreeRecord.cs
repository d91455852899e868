namespace Climux.Core.Worktrees;

/// <summary>A worktree Climux made: what it was made from.</summary>
public sealed record WorktreeRecord(string Workspace, string Name, string Path, string? Branch, string? BaseRef, string? BaseCommit, DateTimeOffset CreatedAt);
