using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Paths;
using Climux.Core.Worktrees;

namespace Climux.Bench;

/// <summary>
/// New-ClimuxWorktree (libgit2, plus Climux's bookkeeping) against `git worktree add -b` on a
/// repository of 20,000 files (default), five of each, medians reported; then Get-ClimuxWorktree over
/// the 11 worktrees against `git status --porcelain` run in each one after another.
/// </summary>
internal static class WorktreeBenchmark
{
    public static void Run(string[] args, List<BenchResult> results)
    {
        var files = args.Length > 0 ? int.Parse(args[0]) : 20_000;
        var root = Path.Combine(Path.GetTempPath(), $"climux-bench-wt-{Guid.NewGuid():N}");
        try
        {
            var repo = BenchRepo.Create(root, files);
            var home = new ClimuxHome(Path.Combine(root, "home"));
            using var engine = ClimuxEngine.Open(home);
            var manager = engine.Worktrees(repo, new ClimuxConfig());
            var detail = $"a repository of {files:N0} files";
            var git = Timing.Measure(5, i => BenchRepo.Git(repo, "worktree", "add", "-q", "-b", $"git-{i}", Path.Combine(root, $"git-{i}")));
            var climux = Timing.Measure(5, i => manager.Create($"feature-{i}"));
            Report(results, new BenchResult("New-ClimuxWorktree", "git worktree add -b", climux.Median, climux.Min, 5, git.Median, "at most 1.5x", detail));

            var paths = manager.List().Select(w => w.Path).ToList();
            var status = Timing.Measure(3, _ => paths.ForEach(path => BenchRepo.Git(path, "status", "--porcelain")));
            var list = Timing.Measure(3, _ => manager.List());
            Report(results, new BenchResult($"Get-ClimuxWorktree ({paths.Count} worktrees)", "git status --porcelain in each worktree, one after another",
                list.Median, list.Min, 3, status.Median, "at most 1x", detail));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Report(List<BenchResult> results, BenchResult result)
    {
        Console.WriteLine($"{result.Name,-32} median {result.MedianMs,8:0} ms   min {result.MinMs,8:0} ms   " +
            $"{result.ComparedTo}: median {result.BaselineMedianMs,8:0} ms ({result.Ratio:0.00}x)");
        results.Add(result);
    }
}
