using System.Text.RegularExpressions;
using Climux.Core.FanIn;
using Climux.Core.Tests.Support;
using LibGit2Sharp;
using Xunit.Abstractions;

namespace Climux.Core.Tests.FanIn;

/// <summary>
/// Get-ClimuxConflict's prediction against the reference, <c>git merge-tree --write-tree</c>, on
/// every pair of a set of worktrees made to cover each kind of conflict (content, add/add,
/// modify/delete, rename/rename, rename/delete, rename/modify, two renames to one path,
/// file/directory, a directory rename, binary files), uncommitted work, a history with a merge
/// commit, and clean merges.
/// </summary>
public sealed partial class MergeTreeAgreementTests(ITestOutputHelper output) : IDisposable
{
    private readonly FanInRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    private void Build()
    {
        var main = _repo.Main;
        _repo.Write(main, ("shared.txt", FanInRepo.Lines("shared")), ("other.txt", FanInRepo.Lines("other")), ("doomed.txt", FanInRepo.Lines("doomed")),
            ("mover.txt", FanInRepo.Lines("mover")), ("renamed.txt", FanInRepo.Lines("renamed")), ("p.txt", FanInRepo.Lines("p")), ("o.txt", FanInRepo.Lines("o")),
            ("dir/one.txt", FanInRepo.Lines("one")), ("dir/two.txt", FanInRepo.Lines("two")));
        _repo.WriteBytes(main, "image.bin", 1);
        _repo.Commit(main, "base");

        string Make(string name, Action<string> work)
        {
            var folder = _repo.NewWorktree(name);
            work(folder);
            return folder;
        }
        Make("content-1", f => _repo.Commit(f, "one", ("shared.txt", FanInRepo.Lines("shared", (2, "one"))), ("new.txt", "x\n"), ("thing", "a file\n")));
        Make("content-2", f => _repo.Commit(f, "two", ("shared.txt", FanInRepo.Lines("shared", (2, "two"))), ("new.txt", "y\n"), ("thing/inner.txt", "in a folder\n")));
        Make("other-line", f => _repo.Commit(f, "other line", ("shared.txt", FanInRepo.Lines("shared", (15, "fifteen"))), ("other.txt", FanInRepo.Lines("other", (5, "five")))));
        Make("modify", f => _repo.Commit(f, "modify", ("doomed.txt", FanInRepo.Lines("doomed", (7, "still here"))), ("renamed.txt", FanInRepo.Lines("renamed", (3, "modify's line")))));
        Make("delete", f => _repo.Commit(f, "delete", ("doomed.txt", null), ("mover.txt", null)));
        Make("rename-a", f =>
        {
            _repo.Git(f, "mv", "mover.txt", "moved-a.txt");
            _repo.Git(f, "mv", "renamed.txt", "renamed-new.txt");
            _repo.Git(f, "mv", "p.txt", "pc.txt");
            _repo.Commit(f, "rename a", ("renamed-new.txt", FanInRepo.Lines("renamed", (3, "rename-a's line"))));
        });
        Make("rename-b", f =>
        {
            _repo.Git(f, "mv", "mover.txt", "moved-b.txt");
            _repo.Git(f, "mv", "o.txt", "pc.txt");
            _repo.Commit(f, "rename b");
        });
        Make("binary-1", f => { _repo.WriteBytes(f, "image.bin", 2); _repo.Commit(f, "binary 1"); });
        Make("binary-2", f => { _repo.WriteBytes(f, "image.bin", 3); _repo.Commit(f, "binary 2"); });
        Make("dir-rename", f => { _repo.Git(f, "mv", "dir", "dir2"); _repo.Commit(f, "dir rename"); });
        Make("dir-add", f => _repo.Commit(f, "dir add", ("dir/three.txt", "three\n")));
        Make("uncommitted", f =>
        {
            _repo.Write(f, ("shared.txt", FanInRepo.Lines("shared", (2, "dirty"))), ("new.txt", "z\n"));
            _repo.Git(f, "rm", "-q", "other.txt");
        });
        Make("idle", _ => { });
        // A merge commit in its history: merges with it cannot narrow the trees (there may be several merge bases).
        Make("with-merge", f =>
        {
            _repo.Commit(f, "own work", ("other.txt", FanInRepo.Lines("other", (12, "twelve"))));
            _repo.Git(f, "merge", "-q", "--no-edit", "content-2");
        });
        // main moves on after the worktrees were made: each is also compared with it.
        _repo.Commit(main, "main moves on", ("shared.txt", FanInRepo.Lines("shared", (2, "main"))), ("other.txt", FanInRepo.Lines("other", (18, "eighteen"))));
    }

    [Fact]
    public void Every_pair_agrees_with_git_merge_tree()
    {
        Build();
        var before = _repo.Fingerprint();
        var names = _repo.Worktrees.Names();
        var predicted = new ConflictFinder(_repo.Worktrees).Find([.. names]);
        Assert.Equal(before, _repo.Fingerprint()); // nothing touched: refs, HEADs, indexes, working folders

        var commits = names.ToDictionary(n => n, n => _repo.GitSnapshot(_repo.PathOf(n)));
        using var repository = new Repository(_repo.Main);
        var predictor = new MergePredictor(repository);
        var pairs = new List<(string Worktree, string Other, string Ours, string Theirs)>();
        for (var i = 0; i < names.Count; i++)
        {
            pairs.Add((names[i], "main", _repo.Git(_repo.Main, "rev-parse", "main"), commits[names[i]]));
            for (var j = i + 1; j < names.Count; j++)
                pairs.Add((names[i], names[j], commits[names[i]], commits[names[j]]));
        }

        var kindsSeen = new HashSet<ConflictKind>();
        var clean = 0;
        foreach (var (worktree, other, ours, theirs) in pairs)
        {
            var git = GitMergeTree(ours, theirs);
            var mine = predicted.Where(c => c.Worktree == worktree && c.Other == other).ToDictionary(c => c.Path, c => c.Kind);
            var pair = $"{worktree} <> {other}";
            Assert.True(git.Paths.SetEquals(mine.Keys), $"{pair}: git conflicts in [{string.Join(", ", git.Paths.Order())}], Climux in [{string.Join(", ", mine.Keys.Order())}]");
            foreach (var (path, kind) in git.Kinds)
                Assert.True(mine[path] == kind, $"{pair}: {path} is {kind} for git, {mine[path]} for Climux");
            kindsSeen.UnionWith(mine.Values);

            var prediction = predictor.Predict(repository.Lookup<LibGit2Sharp.Commit>(ours), repository.Lookup<LibGit2Sharp.Commit>(theirs), withTree: true);
            if (git.Paths.Count == 0)
            {
                clean++;
                Assert.True(git.Tree == prediction.Tree?.Sha, $"{pair}: git merged to tree {git.Tree}, Climux to {prediction.Tree?.Sha}");
            }
        }
        output.WriteLine($"{pairs.Count} pairs, {pairs.Count - clean} with conflicts ({predicted.Count} conflicts), {clean} clean with the same tree as git");
        foreach (var conflict in predicted)
            output.WriteLine(conflict.ToString());
        Assert.Equal([ConflictKind.Content, ConflictKind.AddAdd, ConflictKind.ModifyDelete, ConflictKind.Rename], kindsSeen.Order());
        Assert.True(clean > 20, $"only {clean} clean pairs");
        Assert.Contains(predicted, c => c.Worktree == "uncommitted" && c.Path == "shared.txt");
        Assert.Contains(predicted, c => c.Worktree == "binary-1" && c.Other == "binary-2" && c.Path == "image.bin" && c.Kind == ConflictKind.Content);
    }

    [Fact]
    public void The_snapshot_of_uncommitted_work_is_what_git_add_would_commit()
    {
        _repo.Commit(_repo.Main, "base", ("a.txt", "a\n"), ("b.txt", "b\n"), ("tool.sh", "#!/bin/sh\n"));
        var folder = _repo.NewWorktree("dirty");
        _repo.Write(folder, ("a.txt", "changed\n"), ("b.txt", null), ("new/deep.txt", "new\n"), ("staged.txt", "staged\n"));
        _repo.Git(folder, "add", "staged.txt");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(folder, "tool.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(folder, "link"), "a.txt");
        _repo.Write(folder, (".gitignore", "*.log\n"), ("noise.log", "ignored\n"));
        var before = _repo.Fingerprint();

        using var repository = new Repository(folder);
        var snapshot = WorktreeSnapshot.Take(repository, _ => false)!;

        Assert.Equal(_repo.Git(folder, "rev-parse", _repo.GitSnapshot(folder) + "^{tree}"), snapshot.Tree.Sha);
        Assert.Equal(_repo.Git(folder, "rev-parse", "HEAD"), snapshot.Parents.Single().Sha);
        Assert.Equal(before, _repo.Fingerprint());
    }

    private sealed record GitResult(string Tree, HashSet<string> Paths, Dictionary<string, ConflictKind> Kinds);

    /// <summary>git's own answer: the merged tree, the conflicted paths (a path git moved aside as path~side counts as path), and each one's kind.</summary>
    private GitResult GitMergeTree(string ours, string theirs)
    {
        var (exitCode, output, error) = TestGit.Try(_repo.Main, new Dictionary<string, string>(), "merge-tree", "--write-tree", "--name-only", ours, theirs);
        Assert.True(exitCode is 0 or 1, error);
        var sections = output.Split("\n\n", 2);
        var lines = sections[0].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string Unmoved(string path) => path.EndsWith("~" + ours, StringComparison.Ordinal) ? path[..^(ours.Length + 1)]
            : path.EndsWith("~" + theirs, StringComparison.Ordinal) ? path[..^(theirs.Length + 1)] : path;
        var paths = lines.Skip(1).Select(Unmoved).ToHashSet(StringComparer.Ordinal);
        var kinds = new Dictionary<string, ConflictKind>(StringComparer.Ordinal);
        foreach (var message in sections.Length > 1 ? sections[1].Split('\n') : [])
        {
            if (ConflictIn().Match(message) is { Success: true } content)
                kinds[content.Groups[2].Value] = content.Groups[1].Value == "add/add" ? ConflictKind.AddAdd : ConflictKind.Content;
            else if (ModifyDelete().Match(message) is { Success: true } modifyDelete)
                kinds[modifyDelete.Groups[1].Value] = ConflictKind.ModifyDelete;
            else if (RenameDelete().Match(message) is { Success: true } renameDelete)
                kinds[renameDelete.Groups[1].Value] = ConflictKind.Rename;
            else if (RenameRename().Match(message) is { Success: true } renameRename)
                foreach (var group in new[] { 1, 2, 3 })
                    kinds[renameRename.Groups[group].Value] = ConflictKind.Rename;
            else if (FileLocation().Match(message) is { Success: true } location)
                kinds[location.Groups[1].Value] = ConflictKind.Rename;
            else if (FileDirectory().Match(message) is { Success: true } fileDirectory)
                kinds[fileDirectory.Groups[1].Value] = ConflictKind.AddAdd;
            else
                Assert.DoesNotContain("CONFLICT", message);
        }
        return new GitResult(lines[0], paths, kinds);
    }

    [GeneratedRegex(@"^CONFLICT \((content|add/add)\): Merge conflict in (.+)$")]
    private static partial Regex ConflictIn();
    [GeneratedRegex(@"^CONFLICT \(modify/delete\): (.+) deleted in .+ and modified in .+\.  Version .+ left in tree\.$")]
    private static partial Regex ModifyDelete();
    [GeneratedRegex(@"^CONFLICT \(rename/delete\): .+ renamed to (.+) in .+, but deleted in .+\.$")]
    private static partial Regex RenameDelete();
    [GeneratedRegex(@"^CONFLICT \(rename/rename\): (.+) renamed to (.+) in .+ and to (.+) in .+\.$")]
    private static partial Regex RenameRename();
    [GeneratedRegex(@"^CONFLICT \(file location\): .+ suggesting it should perhaps be moved to (.+)\.$")]
    private static partial Regex FileLocation();
    [GeneratedRegex(@"^CONFLICT \(file/directory\): directory in the way of (.+) from .+; moving it to .+ instead\.$")]
    private static partial Regex FileDirectory();
}
