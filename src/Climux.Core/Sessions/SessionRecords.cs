using Climux.Core.Agents;

namespace Climux.Core.Sessions;

/// <summary>A run about to be queued: everything known before it starts.</summary>
public sealed record NewSession
{
    public required string Provider { get; init; }
    public required string Prompt { get; init; }
    public required string Directory { get; init; }
    public RunMode Mode { get; init; } = RunMode.Task;
    public string? Name { get; init; }
    public string? Model { get; init; }
    public string? Workspace { get; init; }
    /// <summary>The repository's identity across machines (see <see cref="Workspaces.WorkspaceIdentity"/>), for a shared store's workspace limit.</summary>
    public string? WorkspaceKey { get; init; }
    public string? Worktree { get; init; }
    public string? ParentId { get; init; }
    /// <summary>The rate-limited session this run continues with another provider.</summary>
    public string? FallbackOf { get; init; }
    public string? NativeSessionId { get; init; }
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    /// <summary>Run settings kept with the session (JSON): timeout, cost limit, unrestricted.</summary>
    public string? Options { get; init; }
    /// <summary>Refuse to queue it while another session is queued or running in the same folder (one task per worktree).</summary>
    public bool ExclusiveDirectory { get; init; }
    /// <summary>The machine that runs it.</summary>
    public string? Host { get; init; }
    /// <summary>The process that runs it; when it dies, the session is an orphan.</summary>
    public Platform.ProcessIdentity? HostProcess { get; init; }
    /// <summary>In a shared store: until when the host holds it (renewed while it waits and runs).</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }
}

/// <summary>What a running session has used so far.</summary>
public sealed record SessionProgress(string? NativeSessionId, string? Model, TokenUsage Usage, decimal CostUsd, CostSource? CostSource, int Turns);

/// <summary>Lines and files changed against the run's starting commit.</summary>
public sealed record DiffStats(int FilesChanged, int LinesAdded, int LinesRemoved);

/// <summary>How a session ended.</summary>
public sealed record SessionOutcome(SessionStatus Status, int? ExitCode, string? Result, string? Error, SessionProgress? Progress, DiffStats? Diff);

/// <summary>Which sessions to list; every filter is optional.</summary>
public sealed record SessionFilter
{
    public IReadOnlyList<string>? Ids { get; init; }
    public IReadOnlyList<SessionStatus>? Statuses { get; init; }
    public IReadOnlyList<string>? Providers { get; init; }
    public string? Workspace { get; init; }
    public string? Worktree { get; init; }
    /// <summary>Only the newest N (still listed oldest first).</summary>
    public int? Last { get; init; }
}
