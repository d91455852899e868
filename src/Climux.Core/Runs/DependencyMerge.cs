using Climux.Core.Engine;
using Climux.Core.FanIn;
using Climux.Core.Sessions;
using Climux.Core.Workspaces;
using Climux.Core.Worktrees;

namespace Climux.Core.Runs;

/// <summary>
/// A run started with MergeDependencies, once admitted (its dependencies have completed): the
/// branches of its dependencies' worktrees are merged into its own worktree, in DependsOn order, by
/// the merge queue, and only then does its agent start. A conflict fails the run before the agent
/// starts, naming the paths and worktrees; with ResolveConflicts the run's own agent is asked to
/// resolve it first, and the merge queue checks and commits the result. The agent can resolve one
/// merge, so with ResolveConflicts a conflicting dependency must be the last one merged.
/// </summary>
internal sealed class DependencyMerge(ClimuxEngine engine, RunHandle handle, Func<RunHandle, string, IReadOnlyList<string>, Task<SessionOutcome>> runAgent)
{
    private readonly List<string> _notes = [];

    public async Task<SessionOutcome> RunAsync()
    {
        var request = handle.Plan.Request;
        var session = handle.Plan.Session;
        try
        {
            var (manager, target, sources) = Locate(session, request);
            SessionOutcome? agentOutcome = null;
            IReadOnlyList<ClimuxSession> SessionsOf(string worktree) => engine.Sessions.Find(new SessionFilter { Workspace = manager.Workspace, Worktree = worktree });
            var queue = new MergeQueue(manager, target, new MergeQueueOptions
            {
                SessionsOf = SessionsOf,
                Resolver = request.ResolveConflicts
                    ? new ResolverFunction(async conflict =>
                    {
                        agentOutcome = await runAgent(handle, conflict.Prompt + "\nOnce the conflicts are resolved and staged, do your own task:\n\n" + request.Prompt, _notes)
                            .ConfigureAwait(false);
                        return new ConflictResolverOutcome(agentOutcome.Status == SessionStatus.Completed, handle.SessionId, agentOutcome.Error);
                    })
                    : null,
            });
            queue.EnsureClean();

            var conflicted = new List<ClimuxMergeResult>();
            for (var i = 0; i < sources.Count; i++)
            {
                var source = sources[i];
                if (source.Dirty)
                    _notes.Add($"Dependency worktree '{source.Name}' has uncommitted changes; only its commits were merged.");
                if (request.ResolveConflicts && i < sources.Count - 1 && queue.Plan(source) is { Status: ClimuxMergeStatus.Conflicted } plan)
                    return Failed($"merging the worktree of dependency '{source.Name}' into '{target.Name}' conflicts ({Paths(plan.Conflicts.Select(c => c.Path))}), " +
                                  $"and the run's agent can resolve only the last merge: put the sessions of '{source.Name}' last in -DependsOn, " +
                                  $"or merge it first with Merge-ClimuxWorktree {source.Name} -Into {target.Name} -ResolveWith <provider>.");
                var result = await queue.MergeAsync(source, handle.KillToken).ConfigureAwait(false);
                switch (result.Status)
                {
                    case ClimuxMergeStatus.Resolved:
                        return agentOutcome!;
                    case ClimuxMergeStatus.Conflicted when agentOutcome is not null:
                        return agentOutcome with
                        {
                            Status = SessionStatus.Failed,
                            Error = $"The agent did not resolve the conflicts of merging dependency '{source.Name}' ({Paths(result.Conflicts)}): {result.Message}",
                        };
                    case ClimuxMergeStatus.Conflicted:
                        conflicted.Add(result);
                        break;
                    default:
                        _notes.Add($"Merged dependency worktree '{source.Name}' into '{target.Name}': {result.Status} ({result.Commit?[..7]}).");
                        break;
                }
            }
            if (conflicted.Count > 0)
                return Failed("merging the dependencies' worktrees conflicts: " +
                              string.Join("; ", conflicted.Select(c => $"'{c.Worktree}' with '{c.Into}' in {Paths(c.Conflicts)}")) +
                              $". '{target.Name}' was left as it was before each conflicting merge. Resolve them with Merge-ClimuxWorktree -ResolveWith, or start the run with -ResolveConflicts.");
            return await runAgent(handle, request.Prompt, _notes).ConfigureAwait(false);
        }
        catch (DependencyMergeException e)
        {
            return Failed(e.Message);
        }
        catch (Exception e) when (e is WorktreeException or FanInException)
        {
            return Failed($"the dependencies' worktrees could not be merged: {e.Message}");
        }
    }

    private SessionOutcome Failed(string why) =>
        new(SessionStatus.Failed, null, null, $"Not started: {why}" + (_notes.Count > 0 ? " (" + string.Join(" ", _notes) + ")" : ""), null, null);

    private static string Paths(IEnumerable<string> paths) => string.Join(", ", paths);

    /// <summary>The run's worktree and its dependencies' worktrees (each once, in DependsOn order).</summary>
    private (WorktreeManager Manager, ClimuxWorktree Target, IReadOnlyList<ClimuxWorktree> Sources) Locate(NewSession session, RunRequest request)
    {
        var workspace = session.Workspace
            ?? throw new DependencyMergeException($"-MergeDependencies merges into the run's worktree, and '{session.Directory}' is not in a git repository.");
        var manager = engine.Worktrees(workspace, request.Config);
        var all = manager.List();
        var top = WorkspaceLocator.FindWorktreeTop(session.Directory);
        var target = all.FirstOrDefault(w => SamePath(w.Path, top))
            ?? throw new DependencyMergeException($"the run's folder '{session.Directory}' is not one of the worktrees of '{workspace}'.");
        var sources = new List<ClimuxWorktree>();
        foreach (var id in session.DependsOn)
        {
            var dependency = engine.Store.Get(id) ?? throw new DependencyMergeException($"dependency {id} no longer exists.");
            if (dependency.Status != SessionStatus.Completed)
                throw new DependencyMergeException($"dependency {id} ended {dependency.Status}{(dependency.Error is { } error ? $" ({error})" : "")}, so there is nothing to merge.");
            if (dependency.Worktree is null || dependency.Workspace is null)
                throw new DependencyMergeException($"dependency {id} ran outside any worktree (in '{dependency.Directory}'), so it has no branch to merge. " +
                                                   "-MergeDependencies needs dependencies that ran with -Worktree.");
            if (!SamePath(dependency.Workspace, workspace))
                throw new DependencyMergeException($"dependency {id} ran in another repository ('{dependency.Workspace}').");
            var worktree = all.FirstOrDefault(w => w.Name == dependency.Worktree)
                ?? throw new DependencyMergeException($"the worktree '{dependency.Worktree}' of dependency {id} no longer exists.");
            if (worktree.Path != target.Path && sources.All(s => s.Path != worktree.Path))
                sources.Add(worktree);
        }
        return (manager, target, sources);
    }

    private static bool SamePath(string? a, string? b) =>
        a is not null && b is not null && string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private sealed class DependencyMergeException(string message) : Exception(message);

    private sealed class ResolverFunction(Func<ConflictResolutionRequest, Task<ConflictResolverOutcome>> resolve) : IConflictResolver
    {
        public Task<ConflictResolverOutcome> ResolveAsync(ConflictResolutionRequest request, CancellationToken cancellation) => resolve(request);
    }
}
