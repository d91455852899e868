using Climux.Core.Config;
using Climux.Core.FanIn;
using Climux.Core.Providers;
using Climux.Core.Quotas;
using Climux.Core.Sessions;
using Climux.Core.Stats;
using Climux.Core.Worktrees;

namespace Climux.Core.Json;

// The JSON the `climux` command prints with --json and `climux mcp` returns as structured content:
// one shape per engine object, the same in every command. Names are camelCase (ClimuxJson's
// options), enums are strings, durations are seconds, timestamps ISO 8601 (DateTimeOffset).

/// <summary>A session; its id is <c>sessionId</c>.</summary>
public sealed record SessionJson(
    string SessionId, string? Name, string Provider, string? Model, string Mode, string Status, string Prompt,
    string? Workspace, string? Worktree, string Directory, string? Branch, string? NativeSessionId, string? ParentId,
    string? FallbackOf, IReadOnlyList<string> DependsOn, int? Pid, int? ExitCode,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, double? DurationSeconds,
    long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens, long TotalTokens,
    decimal CostUsd, string? CostSource, int Turns, int? FilesChanged, int? LinesAdded, int? LinesRemoved,
    string? Result, string? Error, string? Host, string? ResumeCommand)
{
    public static SessionJson From(ClimuxSession s) => new(
        s.Id, s.Name, s.Provider, s.Model, s.Mode.ToString(), s.Status.ToString(), s.Prompt,
        s.Workspace, s.Worktree, s.Directory, s.Branch, s.NativeSessionId, s.ParentId,
        s.FallbackOf, s.DependsOn, s.Pid, s.ExitCode,
        s.QueuedAt, s.StartedAt, s.EndedAt, s.Duration,
        s.InputTokens, s.OutputTokens, s.CacheReadTokens, s.CacheWriteTokens, s.TotalTokens,
        s.CostUsd, s.CostSource?.ToString(), s.Turns, s.FilesChanged, s.LinesAdded, s.LinesRemoved,
        s.Result, s.Error, s.Host, s.ResumeCommand);
}

/// <summary>One event of a session's transcript.</summary>
public sealed record SessionEventJson(string SessionId, long Sequence, DateTimeOffset At, string Kind, string? Role, string? Tool, string? Text)
{
    public static SessionEventJson From(ClimuxSessionEvent e) => new(e.SessionId, e.Sequence, e.At, e.Kind.ToString(), e.Role, e.Tool, e.Text);
}

/// <summary>Running and queued sessions of one workspace.</summary>
public sealed record WorkspaceLoadJson(string Workspace, int Running, int Queued, int Limit)
{
    public static WorkspaceLoadJson From(ClimuxWorkspaceLoad w) => new(w.Workspace, w.Running, w.Queued, w.Limit);
}

/// <summary><c>climux status --json</c>, the MCP <c>get_status</c>.</summary>
public sealed record StatusJson(
    int ActiveSessions, int QueuedSessions, int MaxActiveSessions, int MaxSessionsPerWorkspace,
    IReadOnlyList<string> ActiveSessionIds, IReadOnlyList<string> QueuedSessionIds,
    decimal CostToday, decimal? DailyBudget, double? BudgetUsed, double AlertThreshold,
    IReadOnlyList<WorkspaceLoadJson> Workspaces)
{
    public static StatusJson From(ClimuxStatus s) => new(
        s.ActiveSessions, s.QueuedSessions, s.MaxActiveSessions, s.MaxSessionsPerWorkspace,
        s.ActiveSessionIds, s.QueuedSessionIds, s.CostToday, s.DailyBudget, s.BudgetUsed, s.AlertThreshold,
        s.Workspaces.Select(WorkspaceLoadJson.From).ToList());
}

/// <summary>One group of <c>climux stats</c>.</summary>
public sealed record StatsRowJson(
    string By, string Key, long Sessions, long Succeeded, long Failed, long Stopped, long Active,
    long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens, long TotalTokens,
    decimal CostUsd, double TotalDurationSeconds, double? MeanDurationSeconds)
{
    public static StatsRowJson From(ClimuxStatsRow r) => new(
        r.By, r.Key, r.Sessions, r.Succeeded, r.Failed, r.Stopped, r.Active,
        r.InputTokens, r.OutputTokens, r.CacheReadTokens, r.CacheWriteTokens, r.TotalTokens,
        r.CostUsd, r.TotalDurationSeconds, r.MeanDurationSeconds);
}

/// <summary>A worktree as <c>climux worktree list --format json</c> shows it.</summary>
public sealed record WorktreeJson(
    string Name, string Path, string Workspace, string? Branch, string? Head, bool IsMain, bool Managed, bool Locked,
    bool Dirty, string? Base, string? BaseBranch, int? Ahead, int? Behind, bool Unmerged, int? ChangedFiles,
    int ActiveSessions, int TotalSessions, DateTimeOffset? LastActivity)
{
    public static WorktreeJson From(ClimuxWorktree w) => new(
        w.Name, w.Path, w.Workspace, w.Branch, w.Head, w.IsMain, w.Managed, w.Locked,
        w.Dirty, w.Base, w.BaseBranch, w.Ahead, w.Behind, w.Unmerged, w.ChangedFiles,
        w.ActiveSessions, w.TotalSessions, w.LastActivity);
}

/// <summary>One changed file of a worktree against its base.</summary>
public sealed record WorktreeChangeJson(string Worktree, string Path, string? OldPath, string Status, int LinesAdded, int LinesRemoved, bool Binary, string? Patch)
{
    public static WorktreeChangeJson From(ClimuxWorktreeChange c) => new(c.Worktree, c.Path, c.OldPath, c.Status.ToString(), c.LinesAdded, c.LinesRemoved, c.Binary, c.Patch);
}

/// <summary>A predicted conflict between two worktrees.</summary>
public sealed record ConflictJson(string Worktree, string Other, string Path, string Kind)
{
    public static ConflictJson From(ClimuxConflict c) => new(c.Worktree, c.Other, c.Path, c.Kind.ToString());
}

/// <summary>What merging one worktree did.</summary>
public sealed record MergeResultJson(string Worktree, string Into, string Status, string? Commit, IReadOnlyList<string> Conflicts, string? TestOutput, string? ResolutionSessionId, string? Message)
{
    public static MergeResultJson From(ClimuxMergeResult m) => new(m.Worktree, m.Into, m.Status.ToString(), m.Commit, m.Conflicts, m.TestOutput, m.ResolutionSessionId, m.Message);
}

/// <summary>What publishing one worktree did.</summary>
public sealed record PublishResultJson(string Worktree, string Branch, string Remote, bool Pushed, string? PullRequestUrl)
{
    public static PublishResultJson From(ClimuxPublishResult p) => new(p.Worktree, p.Branch, p.Remote, p.Pushed, p.PullRequestUrl);
}

/// <summary>A provider the config knows.</summary>
public sealed record ProviderJson(string Name, string Kind, string Command, bool Installed, string? Path, string? Version, string? Model, bool IsDefault, string? InstallCommand, string? Note)
{
    public static ProviderJson From(ClimuxProvider p) => new(p.Name, p.Kind.ToString(), p.Command, p.Installed, p.Path, p.Version, p.Model, p.IsDefault, p.InstallCommand, p.Note);
}

/// <summary>One config key with its effective value (secrets masked) and where it came from.</summary>
public sealed record ConfigEntryJson(string Key, string Value, string Scope, string? Path, int Line, string Reason)
{
    public static ConfigEntryJson From(ClimuxConfigEntry e) => new(e.Key, e.ValueText, e.Scope.ToString(), e.Path, e.Line, e.Reason);
}

/// <summary>An error, as <c>climux … --json</c> reports it on stderr: the cmdlets' error id and the message.</summary>
public sealed record ErrorJson(string ErrorId, string Message, int ExitCode);
