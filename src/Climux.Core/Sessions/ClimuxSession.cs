using System.Globalization;
using Climux.Core.Numbers;

namespace Climux.Core.Sessions;

/// <summary>One agent run, as the store keeps it. Property names are a public contract.</summary>
public sealed record ClimuxSession
{
    /// <summary>Short, typeable id, e.g. <c>k3v9x2ma</c>.</summary>
    public required string Id { get; init; }
    public string? Name { get; init; }
    public required string Provider { get; init; }
    public string? Model { get; init; }
    public RunMode Mode { get; init; }
    public SessionStatus Status { get; init; }
    public required string Prompt { get; init; }
    /// <summary>The repository's top folder (all its worktrees count as one workspace); null outside git.</summary>
    public string? Workspace { get; init; }
    /// <summary>The Climux worktree's name; null when run in another folder.</summary>
    public string? Worktree { get; init; }
    /// <summary>The folder the agent ran in.</summary>
    public required string Directory { get; init; }
    public string? Branch { get; init; }
    /// <summary>The agent CLI's own session (or thread) id, used to resume it.</summary>
    public string? NativeSessionId { get; init; }
    /// <summary>The session this one resumed.</summary>
    public string? ParentId { get; init; }
    /// <summary>The rate-limited session this one continues with another provider; null when it is no fallback.</summary>
    public string? FallbackOf { get; init; }
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    /// <summary>The agent's process id while it runs.</summary>
    public int? Pid { get; init; }
    public int? ExitCode { get; init; }
    public DateTimeOffset QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public decimal CostUsd { get; init; }
    public CostSource? CostSource { get; init; }
    public int Turns { get; init; }
    public int? FilesChanged { get; init; }
    public int? LinesAdded { get; init; }
    public int? LinesRemoved { get; init; }
    /// <summary>The agent's final text.</summary>
    public string? Result { get; init; }
    public string? Error { get; init; }

    /// <summary>The commit the worktree was on when the run started; changes are measured against it.</summary>
    public string? BaseCommit { get; init; }
    /// <summary>Raw agent output.</summary>
    public string? LogPath { get; init; }
    /// <summary>Timeout, cost limit and unrestricted flag the run was started with.</summary>
    public RunOptions? Options { get; init; }
    /// <summary>The machine that runs (or ran) the session.</summary>
    public string? Host { get; init; }
    /// <summary>The Climux process (pwsh, climux) that runs (or ran) the session.</summary>
    public int? HostPid { get; init; }

    internal long? HostStart { get; init; }
    internal long? PidStart { get; init; }
    /// <summary>For stores shared across machines: when the host's claim on the running session runs out.</summary>
    internal DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>What to type to continue the conversation in the agent CLI itself.</summary>
    public string? ResumeCommand => Agents.AgentProviders.InteractiveResumeCommand(Provider, NativeSessionId);

    /// <summary>
    /// Running time so far, or in all once finished, in seconds (to the millisecond); null before it
    /// starts. A number, so that ConvertTo-Json, --json and MCP results all show it as one.
    /// </summary>
    public double? Duration => StartedAt is null ? null : Math.Round(((EndedAt ?? DateTimeOffset.UtcNow) - StartedAt.Value).TotalSeconds, 3);

    public long TotalTokens => Saturating.Add(InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens);

    public bool IsFinished => Status.IsFinished();

    public override string ToString()
    {
        var cost = CostUsd.ToString("0.0000", CultureInfo.InvariantCulture);
        return $"{Id} {Provider} {Status} ${cost}: {Abbreviate(Prompt, 60)}";
    }

    /// <summary>The text on one line, cut to <paramref name="length"/> characters with an ellipsis.</summary>
    public static string Abbreviate(string text, int length)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= length ? line : line[..(length - 1)] + "…";
    }
}
