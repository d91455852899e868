using System.Diagnostics;
using Climux.Core.Config;
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
        var repo = Path.Combine(root, "repo");
        try
        {
            var seed = Stopwatch.StartNew();
            Directory.CreateDirectory(repo);
            Git(repo, "init", "-q", "-b", "main");
            for (var i = 0; i < files; i++)
            {
                var folder = Path.Combine(repo, $"src{i % 100:000}");
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, $"file{i:00000}.txt"), $"line one of {i}\nline two\n");
            }
            Git(repo, "add", "-A");
            Git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "seed");
            Console.WriteLine($"repository of {files:N0} files made in {seed.Elapsed.TotalSeconds:0.0} s");

            var home = new ClimuxHome(Path.Combine(root, "home"));
            var manager = new WorktreeManager(home, new ClimuxConfig(), repo);
            var detail = $"a repository of {files:N0} files";
            var git = Timing.Measure(5, i => Git(repo, "worktree", "add", "-q", "-b", $"git-{i}", Path.Combine(root, $"git-{i}")));
            var climux = Timing.Measure(5, i => manager.Create($"feature-{i}"));
            Report(results, new BenchResult("New-ClimuxWorktree", "git worktree add -b", climux.Median, climux.Min, 5, git.Median, "at most 1.5x", detail));

            var paths = manager.List().Select(w => w.Path).ToList();
            var status = Timing.Measure(3, _ => paths.ForEach(path => Git(path, "status", "--porcelain")));
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

    private static void Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        output.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error}");
    }
}
