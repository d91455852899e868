using Climux.Core.Providers;
using Climux.Core.Worktrees;
using LibGit2Sharp;

namespace Climux.Core.FanIn;

/// <summary>
/// The conflicts that merging would produce between every pair of worktrees, and between each
/// and the current tip of its base branch, predicted in memory: uncommitted work counts (as a
/// snapshot tree), and no working folder, index, HEAD or branch is touched.
/// </summary>
public sealed class ConflictFinder(WorktreeManager worktrees)
{
    /// <summary>The conflicts among the worktrees named, by worktree, other and path.</summary>
    public IReadOnlyList<ClimuxConflict> Find(IReadOnlyCollection<string> names)
    {
        var locations = worktrees.Locate(names.Contains);
        // Reading the working folders (a status each) is most of the time: one thread per folder,
        // and git's own status where git is installed.
        var git = CommandResolver.Resolve("git");
        var states = new (WorktreeLocation Location, ObjectId? State)[locations.Count];
        Parallel.For(0, locations.Count, i =>
        {
            using var repository = new Repository(locations[i].Path);
            states[i] = (locations[i], WorktreeSnapshot.Take(repository, worktrees.IsCopied, git)?.Id);
        });

        using var main = new Repository(worktrees.Workspace);
        var predictor = new MergePredictor(main);
        var conflicts = new List<ClimuxConflict>();
        void Add(string worktree, string other, Commit ours, Commit theirs) =>
            conflicts.AddRange(predictor.Predict(ours, theirs).Conflicts.Select(c => new ClimuxConflict { Worktree = worktree, Other = other, Path = c.Path, Kind = c.Kind }));

        var known = states.Where(s => s.State is not null).Select(s => (s.Location, Commit: main.Lookup<Commit>(s.State!))).ToList();
        for (var i = 0; i < known.Count; i++)
        {
            var (location, commit) = known[i];
            if (!location.IsMain && WorktreeManager.BranchNamed(main, location.Base) is { } baseBranch && main.Lookup<Commit>(baseBranch) is { } baseTip)
                Add(location.Name, baseBranch, baseTip, commit);
            for (var j = i + 1; j < known.Count; j++)
                Add(location.Name, known[j].Location.Name, commit, known[j].Commit);
        }
        return conflicts;
    }
}
