using System.Diagnostics;
using Climux.Core.Config;
using Climux.Core.Paths;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Store;

namespace Climux.Bench;

/// <summary>
/// The slot hand-off across two processes: with one slot, this process finishes its running session
/// and tells the store; a second process, waiting to admit its queued session the way a queued run
/// does (take the change signal, look, wait), is timed from the finish to its admission.
/// </summary>
internal static class HandOffBenchmark
{
    private const int Rounds = 9;
    private static readonly ClimuxConfig OneSlot = new() { Concurrency = new ConcurrencyConfig { MaxActiveSessions = 1, MaxSessionsPerWorkspace = 1 } };

    public static void Run(List<BenchResult> results)
    {
        var home = new ClimuxHome(Path.Combine(Path.GetTempPath(), $"climux-bench-handoff-{Guid.NewGuid():N}"));
        try
        {
            using var store = ClimuxStore.Open(home);
            using var signal = ClimuxStore.OpenSignal(home);
            var times = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                var holder = Queue(store);
                if (store.Admit(holder.Id, Policy()).Decision.Verdict != AdmissionVerdict.Admitted)
                    throw new InvalidOperationException("the first session was not admitted");
                var waiter = Queue(store);
                using var child = Process.Start(new ProcessStartInfo("dotnet", [typeof(HandOffBenchmark).Assembly.Location, "handoff-wait", home.Root, waiter.Id])
                {
                    RedirectStandardOutput = true,
                })!;
                if (child.StandardOutput.ReadLine() != "waiting")
                    throw new InvalidOperationException("the waiting process did not start");
                var finished = DateTime.UtcNow.Ticks;
                store.Finish(holder.Id, new SessionOutcome(SessionStatus.Completed, 0, "done", null, null, null));
                signal.Notify();
                var admitted = long.Parse(child.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the waiting process ended early"));
                child.WaitForExit();
                times.Add(TimeSpan.FromTicks(admitted - finished).TotalMilliseconds);
                store.Finish(waiter.Id, new SessionOutcome(SessionStatus.Completed, 0, "done", null, null, null));
            }
            times.Sort();
            var result = new BenchResult("Slot hand-off across two processes (p50)", "goal", Math.Round(times[Rounds / 2], 1), Math.Round(times[0], 1), Rounds,
                Goal: "under 100 ms", Detail: "from Finish of the running session to the admission of the one queued in another process");
            Console.WriteLine($"{result.Name,-56} median {result.MedianMs,8:0.0} ms   min {result.MinMs,8:0.0} ms");
            results.Add(result);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(home.Root, recursive: true);
        }
    }

    /// <summary>The second process: waits for a slot for <paramref name="sessionId"/>, then prints when it got it (UTC ticks).</summary>
    public static int Wait(string homeRoot, string sessionId)
    {
        var home = new ClimuxHome(homeRoot);
        using var store = ClimuxStore.Open(home);
        using var signal = ClimuxStore.OpenSignal(home);
        Console.WriteLine("waiting");
        while (true)
        {
            var change = signal.NextChange;
            if (store.Admit(sessionId, Policy()).Decision.Verdict == AdmissionVerdict.Admitted)
            {
                Console.WriteLine(DateTime.UtcNow.Ticks);
                return 0;
            }
            StoreSignals.WaitAsync(change, TimeSpan.FromSeconds(5), CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    private static AdmissionPolicy Policy() => new(OneSlot, new OrphanPolicy(Environment.MachineName, ProcessIdentity.Current, DateTimeOffset.UtcNow));

    private static ClimuxSession Queue(IClimuxStore store) => store.Insert(new NewSession
    {
        Provider = "codex",
        Prompt = "hand-off",
        Directory = Path.GetTempPath(),
        Host = Environment.MachineName,
        HostProcess = ProcessIdentity.Current,
    });
}
