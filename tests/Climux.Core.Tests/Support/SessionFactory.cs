using Climux.Core.Agents;
using Climux.Core.Platform;
using Climux.Core.Sessions;
using Climux.Core.Store;

namespace Climux.Core.Tests.Support;

/// <summary>Puts sessions with chosen values into a store, through the store interface only (so it works on every database).</summary>
internal sealed class SessionFactory(IClimuxStore store)
{
    public IClimuxStore Store => store;

    public ClimuxSession Queue(string provider = "codex", string? workspace = "/repo", string? worktree = null, string[]? dependsOn = null,
        string? options = null, string? name = null, string directory = "/tmp", string? workspaceKey = null, string? hostName = null) =>
        store.Insert(new NewSession
        {
            Provider = provider,
            Prompt = "p",
            Directory = directory,
            Name = name,
            Workspace = workspace,
            WorkspaceKey = workspaceKey,
            Worktree = worktree,
            DependsOn = dependsOn ?? [],
            Options = options,
            Host = hostName ?? Environment.MachineName,
            HostProcess = ProcessIdentity.Current,
        });

    /// <summary>A finished session with the given numbers, queued and run at <paramref name="queuedAt"/>.</summary>
    public ClimuxSession Finished(DateTimeOffset queuedAt, SessionStatus status, string provider = "codex", string? model = "gpt-5",
        string? workspace = "/repo", string? worktree = null, TokenUsage usage = default, decimal cost = 0, TimeSpan? ran = null) =>
        Put(Row(provider, workspace, worktree) with
        {
            Status = status,
            Model = model,
            QueuedAt = queuedAt,
            StartedAt = ran is null ? null : queuedAt,
            EndedAt = ran is null ? null : queuedAt + ran.Value,
            ExitCode = 0,
            Result = "done",
            InputTokens = usage.Input,
            OutputTokens = usage.Output,
            CacheReadTokens = usage.CacheRead,
            CacheWriteTokens = usage.CacheWrite,
            CostUsd = cost,
            CostSource = CostSource.Computed,
            Turns = 1,
        });

    /// <summary>A live session whose host (and agent) are the given processes, as another process on this machine would have left it.</summary>
    public ClimuxSession Hosted(SessionStatus status, ProcessIdentity host, ProcessIdentity? agent = null, string? hostName = null) =>
        Put(Row() with
        {
            Status = status,
            Host = hostName ?? Environment.MachineName,
            HostPid = host.Pid,
            HostStart = host.StartTime,
            Pid = agent?.Pid,
            PidStart = agent?.StartTime,
            StartedAt = status == SessionStatus.Running ? DateTimeOffset.UtcNow : null,
        });

    /// <summary>A queued session, as written by a row of its own (a fresh id, queued now).</summary>
    public static ClimuxSession Row(string provider = "codex", string? workspace = "/repo", string? worktree = null) => new()
    {
        Id = SessionIds.New(),
        Provider = provider,
        Prompt = "p",
        Directory = "/tmp",
        Workspace = workspace,
        Worktree = worktree,
        Status = SessionStatus.Queued,
        QueuedAt = DateTimeOffset.UtcNow,
    };

    public ClimuxSession Put(ClimuxSession session)
    {
        Assert.True(store.Restore(session));
        return store.Get(session.Id)!;
    }

    public SessionStatus StatusOf(ClimuxSession session) => store.Get(session.Id)!.Status;

    public void Complete(ClimuxSession session, SessionStatus status = SessionStatus.Completed) =>
        Assert.True(store.Finish(session.Id, new SessionOutcome(status, 0, null, null, null, null)));
}
