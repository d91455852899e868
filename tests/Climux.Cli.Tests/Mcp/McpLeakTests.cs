using System.Diagnostics;
using Xunit.Abstractions;

namespace Climux.Cli.Tests.Mcp;

/// <summary>Runs alone: other tests' processes and files would move the numbers.</summary>
[CollectionDefinition(nameof(McpLeakCollection), DisableParallelization = true)]
public sealed class McpLeakCollection;

/// <summary>
/// A long-lived <c>climux mcp</c> must survive many runs: one server doing 200 runs (after 20 to
/// warm up) must leave its open file descriptors, file watchers, threads and memory where they
/// were, within margins that do not grow with the number of runs.
/// </summary>
[Collection(nameof(McpLeakCollection))]
public sealed class McpLeakTests(ITestOutputHelper output) : IDisposable
{
    private const int WarmUp = 20;
    private const int Runs = 200;
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"climux-mcp-leak-{Guid.NewGuid():N}"[..30]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed record Checkpoint(int Runs, int Fds, int Inotify, int Threads, long Managed, long WorkingSet)
    {
        public override string ToString() =>
            $"after {Runs} runs: fds={Fds} inotify={Inotify} threads={Threads} managed={Managed / 1024} KiB workingSet={WorkingSet / 1024 / 1024} MiB";
    }

    [Fact]
    public async Task Two_hundred_runs_through_one_server_leak_no_descriptors_watchers_threads_or_memory()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var home = Path.Combine(_root, "home");
        var workspace = Path.Combine(_root, "work");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(workspace);
        // The agent is `cat`: the prompt goes to it on stdin and comes back as its answer, so each run
        // takes the whole run path of the server and the engine in milliseconds.
        File.WriteAllText(Path.Combine(home, "config.yaml"), """
            defaultProvider: cat
            concurrency: { maxActiveSessions: 5, maxSessionsPerWorkspace: 5 }
            providers:
              cat: { command: cat, output: text }
            """);

        var checkpoints = new List<Checkpoint>();
        var done = 0;
        await using (var mcp = await McpConnection.StartAsync(workspace, home))
        {
            foreach (var until in new[] { WarmUp, WarmUp + Runs / 2, WarmUp + Runs })
            {
                for (; done < until; done++)
                {
                    var session = await mcp.CallOkAsync("run_task", ("prompt", $"run {done}"), ("wait", true));
                    Assert.Equal("Completed", session.GetProperty("status").GetString());
                }
                checkpoints.Add(Measure(done));
            }
            var listed = await mcp.CallOkAsync("session_list", ("status", "Completed"));
            Assert.Equal(WarmUp + Runs, listed.GetProperty("sessions").GetArrayLength());
        }
        var closed = Measure(done);
        foreach (var checkpoint in checkpoints.Append(closed))
            output.WriteLine(checkpoint.ToString());

        var (warm, half, end) = (checkpoints[0], checkpoints[1], checkpoints[2]);
        // Descriptors: pooled store connections and the pipes of the agent just ended may come and go, a handful at most.
        Assert.True(end.Fds <= warm.Fds + 8, $"descriptors grew from {warm.Fds} to {end.Fds} over {Runs} runs");
        Assert.True(end.Fds <= half.Fds + 6, $"descriptors grew from {half.Fds} to {end.Fds} over the second {Runs / 2} runs");
        Assert.Equal(warm.Inotify, end.Inotify);
        // The thread pool follows the machine's load; a leak would add threads per run (hundreds).
        Assert.True(end.Threads <= warm.Threads + 16, $"threads grew from {warm.Threads} to {end.Threads} over {Runs} runs");
        Assert.True(end.Managed <= half.Managed + 8 * 1024 * 1024, $"managed memory grew from {half.Managed} to {end.Managed} bytes over the second {Runs / 2} runs");
        // The server's end closed its engine: its store signal's watcher is gone.
        Assert.True(closed.Inotify < end.Inotify || end.Inotify == 0, $"the watcher was not released ({end.Inotify} before the end, {closed.Inotify} after)");
    }

    private static Checkpoint Measure(int runs)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var fds = new DirectoryInfo("/proc/self/fd").GetFileSystemInfos();
        var inotify = fds.Count(fd => fd.LinkTarget is "anon_inode:inotify");
        using var process = Process.GetCurrentProcess();
        return new Checkpoint(runs, fds.Length, inotify, process.Threads.Count, GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }
}
