using Climux.Core.Agents;
using Climux.Core.Platform;
using Climux.Core.Sessions;
using Climux.Core.Store;

namespace Climux.Core.Tests.Support;

/// <summary>Puts sessions with chosen values straight into a store.</summary>
internal sealed class SessionFactory(ClimuxStore store)
{
    public SessionRepository Repository { get; } = new(store);

    public ClimuxSession Queue(string provider = "codex", string? workspace = "/repo", string? worktree = null, string[]? dependsOn = null, string? options = null) =>
        Repository.Insert(new NewSession
        {
            Provider = provider,
            Prompt = "p",
            Directory = "/tmp",
            Workspace = workspace,
            Worktree = worktree,
            DependsOn = dependsOn ?? [],
            Options = options,
        });

    /// <summary>A finished session with the given numbers, queued and run at <paramref name="queuedAt"/>.</summary>
    public ClimuxSession Finished(DateTimeOffset queuedAt, SessionStatus status, string provider = "codex", string? model = "gpt-5",
        string? workspace = "/repo", string? worktree = null, TokenUsage usage = default, decimal cost = 0, TimeSpan? ran = null)
    {
        var session = Queue(provider, workspace, worktree);
        Repository.Finish(session.Id, new SessionOutcome(status, 0, "done", null,
            new SessionProgress(null, model, usage, cost, CostSource.Computed, 1), null));
        var start = queuedAt.ToUnixTimeMilliseconds();
        Sql($"UPDATE sessions SET queued_at = {start}, started_at = {(ran is null ? "NULL" : start.ToString())}, " +
            $"ended_at = {(ran is null ? "NULL" : (start + (long)ran.Value.TotalMilliseconds).ToString())} WHERE id = '{session.Id}'");
        return Repository.Get(session.Id)!;
    }

    public void SetHost(string id, ProcessIdentity host, ProcessIdentity? agent = null) =>
        Sql($"UPDATE sessions SET host_pid = {host.Pid}, host_start = {host.StartTime}" +
            (agent is { } a ? $", pid = {a.Pid}, pid_start = {a.StartTime}" : "") + $" WHERE id = '{id}'");

    public void Sql(string sql) => store.Write((c, t) =>
    {
        using var command = c.CreateCommand();
        command.Transaction = t;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    });
}
