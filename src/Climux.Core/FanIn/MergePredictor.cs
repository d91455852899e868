using LibGit2Sharp;

namespace Climux.Core.FanIn;

/// <summary>How merging one commit into another would go, without a checkout.</summary>
internal enum MergeShape { UpToDate, FastForward, Merge }

internal sealed class MergePrediction
{
    public required MergeShape Shape { get; init; }
    public IReadOnlyList<PredictedConflict> Conflicts { get; init; } = [];
    /// <summary>The merged tree, when asked for and the merge is clean.</summary>
    public Tree? Tree { get; init; }
}

/// <summary>
/// Predicts merges in memory with libgit2 (<c>ObjectDatabase.MergeCommits</c>), the way
/// <c>git merge-tree --write-tree</c> reports them. libgit2 reads whole trees, so when the history
/// allows it (one merge base) the merge is done on trees narrowed to the paths either side
/// changed, which gives the same result; pairs that changed disjoint paths merge without libgit2
/// at all. libgit2 records a rename conflict at each path the file had, where git's merge (ort)
/// records it at the path it ends at: conflicts are regrouped by the renames each side made.
/// git's directory rename detection, which libgit2 lacks, is applied on top.
/// </summary>
internal sealed class MergePredictor(Repository repository)
{
    private readonly TreeDelta _trees = new(repository);
    private readonly MergeSettings _settings = MergeSettings.Of(repository);
    private readonly Dictionary<(ObjectId?, ObjectId), Side> _sides = [];

    public Repository Repository => repository;

    /// <param name="ours">The commit merged into (the target).</param>
    /// <param name="theirs">The commit merged.</param>
    /// <param name="withTree">Also build the merged tree of a clean merge.</param>
    public MergePrediction Predict(Commit ours, Commit theirs, bool withTree = false)
    {
        if (ours.Id == theirs.Id)
            return new MergePrediction { Shape = MergeShape.UpToDate, Tree = ours.Tree };
        var mergeBase = repository.ObjectDatabase.FindMergeBase(ours, theirs);
        if (mergeBase?.Id == theirs.Id)
            return new MergePrediction { Shape = MergeShape.UpToDate, Tree = ours.Tree };
        if (mergeBase?.Id == ours.Id)
            return new MergePrediction { Shape = MergeShape.FastForward, Tree = theirs.Tree };

        var baseTree = mergeBase?.Tree;
        var mine = SideOf(baseTree, ours.Tree);
        var other = SideOf(baseTree, theirs.Tree);
        var options = new MergeTreeOptions { FindRenames = _settings.FindRenames, SkipReuc = true };
        List<PredictedConflict> conflicts;
        Func<Tree?> merged;
        if (mergeBase is null || HasMerges(ours, mergeBase) || HasMerges(theirs, mergeBase))
        {
            // Criss-cross histories may have several merge bases: libgit2 merges the whole trees over its virtual base.
            var result = repository.ObjectDatabase.MergeCommits(ours, theirs, options);
            conflicts = Regroup(result.Conflicts, baseTree, mine, other);
            merged = () => result.Tree;
        }
        else if (!Overlap(mine.Paths, other.Paths))
        {
            conflicts = [];
            merged = () => _trees.Overlay(ours.Tree, theirs.Tree, other.Paths.Keys);
        }
        else
        {
            var paths = mine.Paths.Keys.Union(other.Paths.Keys, StringComparer.Ordinal).ToList();
            var narrowBase = _trees.Commit(_trees.Narrow(baseTree, paths), "merge base, narrowed (Climux prediction)");
            var narrowOurs = _trees.Commit(_trees.Narrow(ours.Tree, paths), "ours, narrowed (Climux prediction)", narrowBase);
            var narrowTheirs = _trees.Commit(_trees.Narrow(theirs.Tree, paths), "theirs, narrowed (Climux prediction)", narrowBase);
            var result = repository.ObjectDatabase.MergeCommits(narrowOurs, narrowTheirs, options);
            conflicts = Regroup(result.Conflicts, baseTree, mine, other);
            merged = () => result.Status == MergeTreeStatus.Succeeded ? _trees.Overlay(ours.Tree, result.Tree, paths) : null;
        }

        foreach (var moved in DirectoryRenameConflicts(mine, other).Concat(DirectoryRenameConflicts(other, mine)))
            if (conflicts.All(c => c.Path != moved))
                conflicts.Add(new PredictedConflict(moved, ConflictKind.Rename));
        conflicts.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new MergePrediction
        {
            Shape = MergeShape.Merge,
            Conflicts = conflicts,
            Tree = withTree && conflicts.Count == 0 ? merged() : null,
        };
    }

    /// <summary>What one side changed since the merge base, and (on demand) what it renamed.</summary>
    private sealed class Side(Tree? baseTree, Tree tree, Dictionary<string, PathChange> paths)
    {
        public Tree? BaseTree { get; } = baseTree;
        public Tree Tree { get; } = tree;
        public Dictionary<string, PathChange> Paths { get; } = paths;
        /// <summary>Base path to this side's path, for each file this side renamed.</summary>
        public Dictionary<string, string>? Renames { get; set; }
    }

    private Side SideOf(Tree? baseTree, Tree tree)
    {
        var key = (baseTree?.Id, tree.Id);
        if (!_sides.TryGetValue(key, out var side))
            _sides[key] = side = new Side(baseTree, tree, _trees.Compare(baseTree, tree));
        return side;
    }

    private Dictionary<string, string> RenamesOf(Side side)
    {
        if (side.Renames is { } known)
            return known;
        var candidates = side.Paths.Where(p => p.Value != PathChange.Modified).Select(p => p.Key).ToList();
        side.Renames = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_settings.FindRenames && side.Paths.ContainsValue(PathChange.Added) && side.Paths.ContainsValue(PathChange.Deleted))
        {
            var changes = repository.Diff.Compare<TreeChanges>(_trees.Narrow(side.BaseTree, candidates), _trees.Narrow(side.Tree, candidates),
                new CompareOptions { Similarity = SimilarityOptions.Renames });
            foreach (var rename in changes.Renamed)
                side.Renames[rename.OldPath] = rename.Path;
        }
        return side.Renames;
    }

    private bool HasMerges(Commit tip, Commit mergeBase) =>
        repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip, ExcludeReachableFrom = mergeBase }).Any(c => c.Parents.Skip(1).Any());

    /// <summary>Both sides changed a path, or one changed a path inside (or in place of) a folder the other changed.</summary>
    private static bool Overlap(Dictionary<string, PathChange> mine, Dictionary<string, PathChange> other)
    {
        static HashSet<string> Folders(IEnumerable<string> paths)
        {
            var folders = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in paths)
                for (var slash = path.LastIndexOf('/'); slash > 0 && folders.Add(path[..slash]); slash = path.LastIndexOf('/', slash - 1))
                {
                }
            return folders;
        }
        var (small, large) = mine.Count <= other.Count ? (mine, other) : (other, mine);
        if (small.Keys.Any(large.ContainsKey))
            return true;
        var largeFolders = Folders(large.Keys);
        var smallFolders = Folders(small.Keys);
        return small.Keys.Any(largeFolders.Contains) || large.Keys.Any(smallFolders.Contains);
    }

    private readonly record struct Piece(string Path, string? From, int Stage, bool Split);

    /// <summary>
    /// libgit2's conflict entries regrouped at the paths git's merge reports: an entry follows the
    /// rename the other side made of its file; a file each side renamed to a different path stays
    /// at all three paths (rename/rename).
    /// </summary>
    private List<PredictedConflict> Regroup(IEnumerable<Conflict> conflicts, Tree? baseTree, Side mine, Side other)
    {
        var ourRenames = RenamesOf(mine);
        var theirRenames = RenamesOf(other);
        var ourSources = ourRenames.ToDictionary(r => r.Value, r => r.Key, StringComparer.Ordinal);
        var theirSources = theirRenames.ToDictionary(r => r.Value, r => r.Key, StringComparer.Ordinal);

        Piece Place(string path, int stage, Dictionary<string, string> sources, Dictionary<string, string> otherRenames)
        {
            if (sources.TryGetValue(path, out var from))
                return new Piece(path, from, stage, otherRenames.TryGetValue(from, out var elsewhere) && elsewhere != path);
            var inBase = baseTree?[path] is { TargetType: not TreeEntryTargetType.Tree };
            return new Piece(otherRenames.GetValueOrDefault(path) ?? path, inBase ? path : null, stage, false);
        }

        var pieces = new List<Piece>();
        foreach (var conflict in conflicts)
        {
            if (conflict.Ancestor is { Path: var path })
            {
                var ours = ourRenames.GetValueOrDefault(path);
                var theirs = theirRenames.GetValueOrDefault(path);
                pieces.Add(ours is not null && theirs is not null && ours != theirs
                    ? new Piece(path, path, 1, true)
                    : new Piece(ours ?? theirs ?? path, path, 1, false));
            }
            if (conflict.Ours is { } ourEntry)
                pieces.Add(Place(ourEntry.Path, 2, ourSources, theirRenames));
            if (conflict.Theirs is { } theirEntry)
                pieces.Add(Place(theirEntry.Path, 3, theirSources, ourRenames));
        }
        return [.. pieces.GroupBy(p => p.Path, StringComparer.Ordinal).Select(g => new PredictedConflict(g.Key, KindOf(g.Key, [.. g])))];
    }

    private static ConflictKind KindOf(string path, List<Piece> pieces)
    {
        if (pieces.Any(p => p.Split))
            return ConflictKind.Rename;
        var ours = pieces.Where(p => p.Stage == 2).ToList();
        var theirs = pieces.Where(p => p.Stage == 3).ToList();
        if (ours.Count > 0 && theirs.Count > 0)
            return ours.Count == 1 && theirs.Count == 1 && ours[0].From is { } from && from == theirs[0].From ? ConflictKind.Content : ConflictKind.AddAdd;
        var present = ours.Count > 0 ? ours : theirs;
        if (present.Count > 0 && present[0].From is { } source && source != path)
            return ConflictKind.Rename; // renamed on one side, deleted on the other
        return pieces.Any(p => p.Stage == 1) ? ConflictKind.ModifyDelete : ConflictKind.AddAdd;
    }

    /// <summary>
    /// git's directory rename detection (merge.directoryRenames, default "conflict"): a file the
    /// adding side put in a folder that the renaming side moved away entirely belongs in the
    /// folder's new place, which git reports as a conflict (file location) at that new path.
    /// </summary>
    private IEnumerable<string> DirectoryRenameConflicts(Side renamer, Side adder)
    {
        if (_settings.DirectoryRenames != DirectoryRenameMode.Conflict || !adder.Paths.ContainsValue(PathChange.Added))
            return [];
        var folders = FolderRenames(renamer);
        if (folders.Count == 0)
            return [];
        foreach (var both in FolderRenames(adder).Keys)
            folders.Remove(both);
        return adder.Paths.Where(p => p.Value == PathChange.Added).Select(p => Relocate(p.Key, folders)).OfType<string>().ToList();
    }

    private static string? Relocate(string path, Dictionary<string, string> folders)
    {
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            if (folders.TryGetValue(path[..slash], out var to))
                return to.Length == 0 ? path[(slash + 1)..] : to + path[slash..];
        return null;
    }

    /// <summary>Folders this side removed whose files it mostly renamed into one other folder (git's rule: a unique majority).</summary>
    private Dictionary<string, string> FolderRenames(Side side)
    {
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var (from, to) in RenamesOf(side))
        {
            var oldParts = from.Split('/')[..^1];
            var newParts = to.Split('/')[..^1];
            for (int i = oldParts.Length, j = newParts.Length; i > 0; i--, j--)
            {
                var oldFolder = string.Join('/', oldParts[..i]);
                var newFolder = string.Join('/', newParts[..j]);
                if (oldFolder == newFolder)
                    break;
                var targets = counts.TryGetValue(oldFolder, out var found) ? found : counts[oldFolder] = new(StringComparer.Ordinal);
                targets[newFolder] = targets.GetValueOrDefault(newFolder) + 1;
                // A parent moved too only when the part below it kept its name (a/b/c/x -> z/b/c/x: a -> z, a/b -> z/b, ...).
                if (j == 0 || oldParts[i - 1] != newParts[j - 1])
                    break;
            }
        }
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, targets) in counts)
        {
            if (side.Tree[folder] is not null)
                continue; // a folder that still exists was not renamed
            var best = targets.OrderByDescending(t => t.Value).Take(2).ToList();
            if (best.Count == 1 || best[0].Value > best[1].Value)
                renames[folder] = best[0].Key;
        }
        return renames;
    }
}

internal enum DirectoryRenameMode { Off, Apply, Conflict }

/// <summary>The repository's merge settings that change which merges conflict.</summary>
internal sealed record MergeSettings(bool FindRenames, DirectoryRenameMode DirectoryRenames)
{
    public static MergeSettings Of(Repository repository)
    {
        var renames = repository.Config.Get<string>("merge.renames")?.Value ?? repository.Config.Get<string>("diff.renames")?.Value;
        var findRenames = renames is null || !IsFalse(renames);
        var directories = repository.Config.Get<string>("merge.directoryRenames")?.Value;
        var mode = !findRenames || (directories is not null && IsFalse(directories)) ? DirectoryRenameMode.Off
            : directories is not null && IsTrue(directories) ? DirectoryRenameMode.Apply
            : DirectoryRenameMode.Conflict;
        return new MergeSettings(findRenames, mode);
    }

    private static bool IsFalse(string value) => value.Trim().ToLowerInvariant() is "false" or "no" or "off" or "0";
    private static bool IsTrue(string value) => value.Trim().ToLowerInvariant() is "true" or "yes" or "on" or "1";
}
