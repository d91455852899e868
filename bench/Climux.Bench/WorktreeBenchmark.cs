using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Paths;
using Climux.Core.Worktrees;

namespace Climux.Bench;

/// <summary>
/// New-ClimuxWorktree (libgit2, plus Climux's bookkeeping) against `git worktree add -b` on a
/// repository of 20,000 files (default), five of each, medians reported.
/// </summary>
internal static class WorktreeBenchmark
{
    public static Task RunAsync(string[] args)
    {
        var files = args.Length > 0 ? int.Parse(args[0]) : 20_000;
        var root = Path.Combine(Path.GetTempPath(), $"climux-bench-wt-{Guid.NewGuid():N}");
        try
        {
            var repo = BenchRepo.Create(root, files);
            var home = new ClimuxHome(Path.Combine(root, "home"));
            using var engine = ClimuxEngine.Open(home);
            var manager = engine.Worktrees(repo, new ClimuxConfig());
            var git = Timing.Measure(5, i => BenchRepo.Git(repo, "worktree", "add", "-q", "-b", $"git-{i}", Path.Combine(root, $"git-{i}")));
            var climux = Timing.Measure(5, i => manager.Create($"feature-{i}"));
            Console.WriteLine($"{"git worktree add -b",-32} median {git.Median,8:0} ms   min {git.Min,8:0} ms");
            Console.WriteLine($"{"New-ClimuxWorktree (libgit2)",-32} median {climux.Median,8:0} ms   min {climux.Min,8:0} ms   ({climux.Median / git.Median:0.0}x)");
            var list = Timing.Measure(3, _ => manager.List());
            Console.WriteLine($"{"Get-ClimuxWorktree (11 worktrees)",-32} median {list.Median,8:0} ms   min {list.Min,8:0} ms");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return Task.CompletedTask;
    }
}
