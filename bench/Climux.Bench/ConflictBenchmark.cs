using Climux.Core.Engine;
using Climux.Core.Config;
using Climux.Core.FanIn;
using Climux.Core.Paths;
using Climux.Core.Worktrees;
using LibGit2Sharp;

namespace Climux.Bench;

/// <summary>
/// Get-ClimuxConflict over 10 worktrees of a repository of 20,000 files (default): 45 pairs, plus
/// each worktree against its base branch, against `git merge-tree --write-tree` run on the same 55
/// pairs of commits. Each worktree changed 5 files of its own in one commit; four of them also
/// changed one shared line (6 conflicting pairs), one renamed a file and one added a file; main
/// moved on after they were made. Medians of 5 runs each, interleaved; then the same with two
/// worktrees holding uncommitted work. git merge-tree sees commits only: the third line is git doing
/// what Get-ClimuxConflict does, a snapshot of each working folder (a temporary index, git add -A,
/// write-tree, commit-tree) before the merges; the fourth is Climux's merges alone, on the same
/// commits as git merge-tree (no working folders read).
/// </summary>
internal static class ConflictBenchmark
{
    private const int Worktrees = 10;

    public static void Run(string[] args, List<BenchResult> results)
    {
        var files = args.Length > 0 ? int.Parse(args[0]) : 20_000;
        var root = Path.Combine(Path.GetTempPath(), $"climux-bench-conflicts-{Guid.NewGuid():N}");
        try
        {
            var repo = BenchRepo.Create(root, files);
            using var engine = ClimuxEngine.Open(new ClimuxHome(Path.Combine(root, "home")));
            var manager = engine.Worktrees(repo, new ClimuxConfig());
            var names = Enumerable.Range(0, Worktrees).Select(i => $"feature-{i}").ToList();
            foreach (var (name, w) in names.Select((n, i) => (n, i)))
            {
                var folder = manager.Create(name).Path;
                for (var k = 0; k < 5; k++)
                    File.AppendAllText(BenchRepo.FilePath(folder, (w * 997 + k * 131 + 7) % files), $"changed by {name}\n");
                if (w % 3 == 0)
                    File.WriteAllText(BenchRepo.FilePath(folder, 0), $"line one by {name}\nline two\nline three\n");
                if (w == 1)
                    BenchRepo.Git(folder, "mv", Path.GetRelativePath(folder, BenchRepo.FilePath(folder, 1)), "src001/renamed.txt");
                if (w == 2)
                    File.WriteAllText(Path.Combine(folder, "src002", "added.txt"), "a new file\n");
                BenchRepo.Git(folder, "add", "-A");
                BenchRepo.Commit(folder, $"work in {name}");
            }
            File.AppendAllText(BenchRepo.FilePath(repo, files - 1), "main moves on\n");
            BenchRepo.Git(repo, "add", "-A");
            BenchRepo.Commit(repo, "main moves on");
            // What git status leaves behind (a refreshed index), as after an agent's own git commands.
            foreach (var name in names)
                BenchRepo.Git(manager.PathOf(name)!, "status", "--porcelain");

            Compare(repo, manager, names, "committed work", results);
            for (var w = 0; w < 2; w++)
                File.AppendAllText(BenchRepo.FilePath(manager.PathOf(names[w])!, (w * 997 + 3) % files), "uncommitted\n");
            Compare(repo, manager, names, "2 with uncommitted work", results);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Compare(string repo, WorktreeManager manager, List<string> names, string what, List<BenchResult> results)
    {
        var pairs = new List<(string, string)>();
        for (var i = 0; i < names.Count; i++)
        {
            pairs.Add(("main", names[i]));
            for (var j = i + 1; j < names.Count; j++)
                pairs.Add((names[i], names[j]));
        }
        var conflicts = new ConflictFinder(manager).Find(names); // warm-up
        var gitTimes = new List<double>();
        var gitSnapshotTimes = new List<double>();
        var climuxTimes = new List<double>();
        var mergeTimes = new List<double>();
        var gitConflicting = 0;
        int MergeTree(Func<string, string> commitOf) =>
            pairs.Count(p => BenchRepo.Git(repo, [0, 1], "merge-tree", "--write-tree", commitOf(p.Item1), commitOf(p.Item2)) == 1);
        for (var run = 0; run < 5; run++)
        {
            gitTimes.Add(Timing.Measure(1, _ => gitConflicting = MergeTree(name => name)).Median);
            gitSnapshotTimes.Add(Timing.Measure(1, _ =>
            {
                var snapshots = names.ToDictionary(n => n, n => Snapshot(manager.PathOf(n)!));
                snapshots["main"] = "main";
                MergeTree(name => snapshots[name]);
            }).Median);
            climuxTimes.Add(Timing.Measure(1, _ => conflicts = new ConflictFinder(manager).Find(names)).Median);
            mergeTimes.Add(Timing.Measure(1, _ =>
            {
                using var repository = new LibGit2Sharp.Repository(repo);
                var predictor = new MergePredictor(repository);
                foreach (var (ours, theirs) in pairs)
                    predictor.Predict(repository.Lookup<LibGit2Sharp.Commit>(ours), repository.Lookup<LibGit2Sharp.Commit>(theirs));
            }).Median);
        }
        double Median(List<double> times) => times.Order().ElementAt(times.Count / 2);
        var pairsConflicting = conflicts.Select(c => (c.Worktree, c.Other)).Distinct().Count();
        Console.WriteLine($"{what}: {pairs.Count} pairs ({names.Count * (names.Count - 1) / 2} + {names.Count} against main)");
        Console.WriteLine($"  {"git merge-tree --write-tree, commits only",-50} median {Median(gitTimes),8:0} ms   min {gitTimes.Min(),8:0} ms   ({gitConflicting} pairs conflict)");
        Console.WriteLine($"  {"git snapshots of the folders, then merge-tree",-50} median {Median(gitSnapshotTimes),8:0} ms   min {gitSnapshotTimes.Min(),8:0} ms");
        Console.WriteLine($"  {"Climux's in-memory merges alone, commits only",-50} median {Median(mergeTimes),8:0} ms   min {mergeTimes.Min(),8:0} ms   ({Median(mergeTimes) / Median(gitTimes):0.00}x git merge-tree)");
        Console.WriteLine($"  {"Get-ClimuxConflict (ConflictFinder)",-50} median {Median(climuxTimes),8:0} ms   min {climuxTimes.Min(),8:0} ms   ({pairsConflicting} pairs conflict)   ({Median(climuxTimes) / Median(gitTimes):0.00}x git merge-tree)");
        results.Add(new BenchResult($"Get-ClimuxConflict, 10 worktrees, {what}", "git merge-tree --write-tree for the same pairs",
            Median(climuxTimes), climuxTimes.Min(), climuxTimes.Count, Median(gitTimes), "at most 2 s and at most 1x", $"{pairs.Count} pairs"));
    }

    /// <summary>What git add -A would commit in the folder, as a commit, made with a temporary index (the folder's own index untouched).</summary>
    private static string Snapshot(string folder)
    {
        var index = Path.Combine(Path.GetTempPath(), $"climux-bench-index-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
        try
        {
            BenchRepo.Run(folder, [0], environment, "read-tree", "HEAD");
            BenchRepo.Run(folder, [0], environment, "add", "-A");
            var tree = BenchRepo.Run(folder, [0], environment, "write-tree").Output;
            return BenchRepo.Run(folder, [0], environment, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                "commit-tree", tree, "-p", "HEAD", "-m", "snapshot").Output;
        }
        finally
        {
            File.Delete(index);
        }
    }
}
