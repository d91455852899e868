using LibGit2Sharp;

namespace Climux.Core.FanIn;

internal enum PathChange { Added, Deleted, Modified }

/// <summary>
/// Compares trees by walking only the subtrees whose ids differ (libgit2's tree diff reads every
/// entry of both trees), and narrows trees to a set of paths so that libgit2's merge and rename
/// detection, which do read every entry, only see what changed. Tree listings are cached by id.
/// </summary>
internal sealed class TreeDelta(Repository repository)
{
    private static readonly Dictionary<string, TreeEntry> NoEntries = [];
    private readonly Dictionary<ObjectId, Dictionary<string, TreeEntry>> _listings = [];

    /// <summary>The files (blobs, links, submodules) that differ between two trees, by path.</summary>
    public Dictionary<string, PathChange> Compare(Tree? from, Tree? to)
    {
        var changes = new Dictionary<string, PathChange>(StringComparer.Ordinal);
        Walk(from, to, "", changes);
        return changes;
    }

    /// <summary>A tree holding only the files of <paramref name="tree"/> at <paramref name="paths"/>.</summary>
    public Tree Narrow(Tree? tree, IEnumerable<string> paths)
    {
        var definition = new TreeDefinition();
        if (tree is not null)
            foreach (var path in paths)
                if (tree[path] is { TargetType: not TreeEntryTargetType.Tree } entry)
                    definition.Add(path, entry);
        return repository.ObjectDatabase.CreateTree(definition);
    }

    /// <summary><paramref name="tree"/> with the files at <paramref name="paths"/> taken from <paramref name="source"/> (removed where it has none).</summary>
    public Tree Overlay(Tree tree, Tree source, IReadOnlyCollection<string> paths)
    {
        var definition = TreeDefinition.From(tree);
        foreach (var path in paths)
            if (source[path] is not { TargetType: not TreeEntryTargetType.Tree } && definition[path] is { TargetType: not TreeEntryTargetType.Tree })
                definition.Remove(path);
        foreach (var path in paths)
            if (source[path] is { TargetType: not TreeEntryTargetType.Tree } entry)
                definition.Add(path, entry);
        return repository.ObjectDatabase.CreateTree(definition);
    }

    /// <summary>A commit that no branch points at, with fixed names and time, so the same content gives the same commit.</summary>
    public Commit Commit(Tree tree, string message, params Commit[] parents)
    {
        var when = parents.Length > 0 ? parents[0].Committer.When : DateTimeOffset.UnixEpoch;
        var signature = new Signature("Climux", "climux@localhost", when);
        return repository.ObjectDatabase.CreateCommit(signature, signature, message, tree, parents, prettifyMessage: false);
    }

    private void Walk(Tree? from, Tree? to, string prefix, Dictionary<string, PathChange> changes)
    {
        if (from?.Id == to?.Id)
            return;
        var before = Entries(from);
        var after = Entries(to);
        foreach (var (name, entry) in before)
            Visit(prefix + name, entry, after.GetValueOrDefault(name), changes);
        foreach (var (name, entry) in after)
            if (!before.ContainsKey(name))
                Visit(prefix + name, null, entry, changes);
    }

    private void Visit(string path, TreeEntry? before, TreeEntry? after, Dictionary<string, PathChange> changes)
    {
        if (before is not null && after is not null && before.Mode == after.Mode && before.Target.Id == after.Target.Id)
            return;
        var beforeTree = before?.TargetType == TreeEntryTargetType.Tree ? (Tree)before.Target : null;
        var afterTree = after?.TargetType == TreeEntryTargetType.Tree ? (Tree)after.Target : null;
        if (beforeTree is not null || afterTree is not null)
            Walk(beforeTree, afterTree, path + "/", changes);
        var beforeFile = before is not null && beforeTree is null;
        var afterFile = after is not null && afterTree is null;
        if (beforeFile || afterFile)
            changes[path] = beforeFile && afterFile ? PathChange.Modified : beforeFile ? PathChange.Deleted : PathChange.Added;
    }

    private Dictionary<string, TreeEntry> Entries(Tree? tree)
    {
        if (tree is null)
            return NoEntries;
        if (!_listings.TryGetValue(tree.Id, out var entries))
            _listings[tree.Id] = entries = tree.ToDictionary(e => e.Name, StringComparer.Ordinal);
        return entries;
    }
}
