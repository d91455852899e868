using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Quotas;
using Climux.Core.Runs;
using Climux.Core.Sessions;

namespace Climux.Core.FanIn;

/// <summary>
/// Settles a merge queue's conflicts with an agent: a normal session of <see cref="Provider"/> in
/// the target worktree (queued under the quotas, Task mode) whose prompt lists the conflicted files
/// and what each side was for. The merge queue then checks what the agent left and commits it.
/// </summary>
public sealed class AgentConflictResolver(ClimuxEngine engine, ClimuxConfig config, string provider, RunOptions? options = null) : IConflictResolver
{
    public string Provider { get; } = provider;

    /// <summary>Raised for each resolution run once it is queued, before it starts (to watch it).</summary>
    public event Action<RunHandle>? Queued;

    /// <summary>The request the resolution run would be, to check it (provider installed, options) before merging anything.</summary>
    public RunRequest Request(string folder, string? worktree, string prompt) => new()
    {
        Config = config,
        Prompt = prompt,
        Directory = folder,
        Provider = Provider,
        Mode = RunMode.Task,
        Worktree = worktree,
        Options = options ?? new RunOptions(),
    };

    public async Task<ConflictResolverOutcome> ResolveAsync(ConflictResolutionRequest request, CancellationToken cancellation)
    {
        RunHandle handle;
        try
        {
            handle = engine.Runs.Queue(Request(request.Folder, request.IntoIsMain ? null : request.Into, request.Prompt));
        }
        catch (Exception e) when (e is RunRequestException or BudgetExceededException or DirectoryBusyException)
        {
            return new ConflictResolverOutcome(false, Message: $"the {Provider} run could not be started: {e.Message}");
        }
        try
        {
            Queued?.Invoke(handle);
        }
        finally
        {
            engine.Runs.Start(handle);
        }
        ClimuxSession session;
        using (cancellation.Register(() => handle.Stop("The merge that asked for it was stopped.")))
            session = await handle.Completion.ConfigureAwait(false);
        return session.Status == SessionStatus.Completed
            ? new ConflictResolverOutcome(true, session.Id)
            : new ConflictResolverOutcome(false, session.Id, $"session {session.Id} ended {session.Status}{(session.Error is { } error ? $" ({error})" : "")}");
    }
}
