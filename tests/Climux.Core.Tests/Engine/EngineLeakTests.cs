using System.Globalization;
using Climux.Core.Tests.Support;
using Xunit.Abstractions;

namespace Climux.Core.Tests.Engine;

/// <summary>
/// A long-lived engine (an MCP server, a pwsh session) must survive many runs: 200 runs through
/// one engine, in a process of their own so nothing else moves the numbers, must leave its open
/// file descriptors, threads and file watchers where they were after a warm-up.
/// </summary>
public sealed class EngineLeakTests(ITestOutputHelper output) : IDisposable
{
    private const int Batch = 10;
    private readonly TempFolder _temp = new("climux-leak");

    public void Dispose() => _temp.Dispose();

    private sealed record Checkpoint(int Runs, int Fds, int Store, int Assemblies, int Other, int Inotify, int Threads, int Pool, long Managed)
    {
        /// <summary>Threads the process made itself (not the thread pool's, which grows and shrinks with the machine's load).</summary>
        public int OwnThreads => Threads - Pool;
    }

    [Fact]
    public void Two_hundred_runs_through_one_engine_leak_no_descriptors_threads_or_watchers()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var home = _temp.Home();
        Directory.CreateDirectory(home.Root);
        // The agent is `cat` (the prompt goes to it on standard input and comes back as its answer):
        // the whole run path of the engine at a few milliseconds a run, so 200 runs take seconds.
        File.WriteAllText(home.ConfigFile, """
            defaultProvider: cat
            concurrency: { maxActiveSessions: 5, maxSessionsPerWorkspace: 5 }
            providers:
              cat: { command: cat, output: text }
            """);

        var lines = TestHosts.Run(1, _ => ["engine-leak", home.Root, "200", Batch.ToString(CultureInfo.InvariantCulture)])[0].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
            output.WriteLine(line);
        var checkpoints = lines.Where(l => l.StartsWith("checkpoint ", StringComparison.Ordinal)).Select(Parse).ToList();
        Assert.Equal([20, 120, 220, 220], checkpoints.Select(c => c.Runs));
        Assert.Contains("status Completed 220", lines);
        Assert.Single(lines, l => l.StartsWith("status ", StringComparison.Ordinal));

        var (warm, half, end, closed) = (checkpoints[0], checkpoints[1], checkpoints[2], checkpoints[3]);
        // Bounds that do not grow with the number of runs. Descriptors other than the store's and the
        // loaded assemblies' (logs, pipes to agents, sockets) come back to where they were after the
        // warm-up; the store's are its pooled connections (a database file and its journal each), at
        // most as many as can be in use at once: a few per run of a batch, however many runs go by.
        Assert.True(end.Other <= warm.Other + 2, $"descriptors grew from {warm.Other} to {end.Other} over 200 runs");
        Assert.True(end.Other <= half.Other + 1, $"descriptors grew from {half.Other} to {end.Other} over the second 100 runs");
        Assert.InRange(end.Store, 2, 2 * 3 * Batch + 1);
        Assert.True(end.Assemblies <= warm.Assemblies + 8, $"{end.Assemblies - warm.Assemblies} more assembly files were opened after the warm-up");
        Assert.Equal(1, end.Inotify);
        Assert.Equal(warm.Inotify, end.Inotify);
        Assert.True(end.OwnThreads <= warm.OwnThreads + 2, $"threads outside the pool grew from {warm.OwnThreads} to {end.OwnThreads} over 200 runs");
        // The pool adds threads when its work waits (a busy machine), up to what is in use at once: a few per run of a batch.
        Assert.True(end.Pool <= Math.Max(warm.Pool, Environment.ProcessorCount) + 3 * Batch, $"the thread pool grew from {warm.Pool} to {end.Pool} threads");
        Assert.True(end.Managed <= half.Managed + 4 * 1024 * 1024, $"managed memory grew from {half.Managed} to {end.Managed} bytes over the second 100 runs");
        // Disposing the engine lets go of its watcher and its pooled connections.
        Assert.Equal(0, closed.Inotify);
        Assert.Equal(0, closed.Store);
    }

    private static Checkpoint Parse(string line)
    {
        var fields = line.Split(' ');
        int Number(string name) => int.Parse(fields.Single(f => f.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
        return new Checkpoint(int.Parse(fields[1], CultureInfo.InvariantCulture), Number("fds"), Number("store"), Number("assemblies"), Number("other"),
            Number("inotify"), Number("threads"), Number("pool"),
            long.Parse(fields.Single(f => f.StartsWith("managed=", StringComparison.Ordinal))[8..], CultureInfo.InvariantCulture));
    }
}
