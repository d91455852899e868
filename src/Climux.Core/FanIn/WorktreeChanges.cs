using Climux.Core.Worktrees;
using LibGit2Sharp;

namespace Climux.Core.FanIn;

/// <summary>
/// What worktrees changed against their base: the merge base of their HEAD with the branch (or
/// commit) they were made from, compared with their state including uncommitted work.
/// </summary>
public sealed class WorktreeChanges(WorktreeManager worktrees)
{
    private static readonly CompareOptions Renames = new() { Similarity = SimilarityOptions.Renames };

    /// <summary>One object per changed file per worktree named, in name and path order.</summary>
    /// <param name="includeUncommitted">Count uncommitted work too (else only what HEAD has).</param>
    public IReadOnlyList<ClimuxWorktreeChange> Read(IReadOnlyCollection<string> names, bool withPatch, bool includeUncommitted = true)
    {
        var changes = new List<ClimuxWorktreeChange>();
        foreach (var location in worktrees.Locate(names.Contains))
        {
            using var repository = new Repository(location.Path);
            if ((includeUncommitted ? WorktreeSnapshot.Take(repository, worktrees.IsCopied) : repository.Head.Tip) is not { } snapshot || BaseOf(repository, location, snapshot) is not { } baseCommit)
                continue;
            var delta = new TreeDelta(repository);
            var paths = delta.Compare(baseCommit.Tree, snapshot.Tree).Keys.ToList();
            if (paths.Count == 0)
                continue;
            var patch = repository.Diff.Compare<Patch>(delta.Narrow(baseCommit.Tree, paths), delta.Narrow(snapshot.Tree, paths), Renames);
            changes.AddRange(patch.OrderBy(p => p.Path, StringComparer.Ordinal).Select(p => new ClimuxWorktreeChange
            {
                Worktree = location.Name,
                Path = p.Path,
                OldPath = p.Status == ChangeKind.Renamed ? p.OldPath : null,
                Status = p.Status switch
                {
                    ChangeKind.Added or ChangeKind.Copied => WorktreeChangeStatus.Added,
                    ChangeKind.Deleted => WorktreeChangeStatus.Deleted,
                    ChangeKind.Renamed => WorktreeChangeStatus.Renamed,
                    _ => WorktreeChangeStatus.Modified,
                },
                LinesAdded = p.LinesAdded,
                LinesRemoved = p.LinesDeleted,
                Binary = p.IsBinaryComparison,
                Patch = withPatch ? p.Patch : null,
            }));
        }
        return changes;
    }

    /// <summary>How many files <paramref name="state"/> changed against <paramref name="baseCommit"/>, a rename counting once.</summary>
    internal static int Count(Repository repository, Commit baseCommit, Commit? state)
    {
        if (state is null)
            return 0;
        var delta = new TreeDelta(repository);
        var paths = delta.Compare(baseCommit.Tree, state.Tree);
        if (!paths.ContainsValue(PathChange.Added) || !paths.ContainsValue(PathChange.Deleted))
            return paths.Count;
        return repository.Diff.Compare<TreeChanges>(delta.Narrow(baseCommit.Tree, paths.Keys), delta.Narrow(state.Tree, paths.Keys), Renames).Count;
    }

    /// <summary>The commit a worktree's changes are measured from: the merge base of <paramref name="head"/> with its base.</summary>
    internal static Commit? BaseOf(Repository repository, WorktreeLocation location, Commit head)
    {
        var baseTip = (location.Base is { } name ? repository.Lookup<Commit>(name) : null)
            ?? (location.BaseCommit is { } sha ? repository.Lookup<Commit>(sha) : null);
        return baseTip is null ? null : repository.ObjectDatabase.FindMergeBase(head, baseTip) ?? baseTip;
    }
}
