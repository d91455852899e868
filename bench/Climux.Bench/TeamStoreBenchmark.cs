using System.Diagnostics;
using Climux.Core.Config;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Npgsql;

namespace Climux.Bench;

/// <summary>
/// The shared PostgreSQL store (in a schema of its own on the server that CLIMUX_TEST_POSTGRES
/// names; build.ps1 bench starts a throw-away one): how long a slot freed on one machine takes to
/// reach a session waiting on another (the freeing commit, NOTIFY, the waiter's admission), and
/// 1,000 runs from 8 processes on two hosts under one limit, counting any moment more ran at once.
/// </summary>
internal static class TeamStoreBenchmark
{
    public const string Worker = "team-worker";

    public static void Run(string[] args, List<BenchResult> results)
    {
        if (Environment.GetEnvironmentVariable("CLIMUX_TEST_POSTGRES") is not { Length: > 0 } server)
        {
            Console.WriteLine("  no PostgreSQL (CLIMUX_TEST_POSTGRES): not measured");
            return;
        }
        var runs = args.Length > 0 ? int.Parse(args[0]) : 1000;
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..10];
        Execute(server, $"CREATE SCHEMA {schema}");
        try
        {
            var store = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
            results.Add(HandOff(store).GetAwaiter().GetResult());
            results.Add(Fleet(store, runs, processes: 8, limit: 5));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Execute(server, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static AdmissionPolicy Policy(int limit, string host) => new(
        new ClimuxConfig { Concurrency = new ConcurrencyConfig { MaxActiveSessions = limit, MaxSessionsPerWorkspace = limit } },
        new OrphanPolicy(host, ProcessIdentity.Current, DateTimeOffset.UtcNow));

    private static ClimuxSession Queue(IClimuxStore store, string host) => store.Insert(new NewSession
    {
        Provider = "bench", Prompt = "bench", Directory = "/tmp", Workspace = "/bench", Host = host, HostProcess = ProcessIdentity.Current,
    });

    /// <summary>Waits for a slot as a run does: look, and if it must wait, sleep until the signal (or a while).</summary>
    private static async Task AdmitAsync(IClimuxStore store, IStoreSignal signal, string id, int limit, string host)
    {
        while (true)
        {
            var change = signal.NextChange;
            if (store.Admit(id, Policy(limit, host)).Decision.Verdict == AdmissionVerdict.Admitted)
                return;
            await StoreSignals.WaitAsync(change, TimeSpan.FromSeconds(5), CancellationToken.None);
        }
    }

    private static async Task<BenchResult> HandOff(string connectionString)
    {
        using var laptop = ClimuxStore.OpenPostgres(connectionString);
        using var runner = ClimuxStore.OpenPostgres(connectionString);
        using var laptopSignal = new PostgresStoreSignal(connectionString);
        using var runnerSignal = new PostgresStoreSignal(connectionString);
        await Task.Delay(500); // both listening
        var times = new List<double>();
        for (var i = 0; i < 60; i++)
        {
            var holder = Queue(laptop, "laptop");
            await AdmitAsync(laptop, laptopSignal, holder.Id, 1, "laptop");
            var waiter = Queue(runner, "runner");
            var watch = new Stopwatch();
            var admitted = Task.Run(async () =>
            {
                await AdmitAsync(runner, runnerSignal, waiter.Id, 1, "runner");
                return watch.Elapsed.TotalMilliseconds;
            });
            await Task.Delay(30); // the runner has looked and waits on its signal
            watch.Start();
            laptop.Finish(holder.Id, new SessionOutcome(SessionStatus.Completed, 0, null, null, null, null));
            laptopSignal.Notify();
            var elapsed = await admitted;
            if (i >= 10)
                times.Add(elapsed);
            runner.Finish(waiter.Id, new SessionOutcome(SessionStatus.Completed, 0, null, null, null, null));
        }
        times.Sort();
        var median = Math.Round(times[times.Count / 2], 1);
        Console.WriteLine($"  slot hand-off across machines: p50 {median} ms, p90 {Math.Round(times[times.Count * 9 / 10], 1)} ms ({times.Count} hand-offs)");
        return new BenchResult("Shared store: slot hand-off from one machine to another (finish, NOTIFY, admit)", "goal", median, Math.Round(times[0], 1),
            times.Count, Goal: "p50 <= 100 ms on loopback", Detail: $"p90 {Math.Round(times[times.Count * 9 / 10], 1)} ms");
    }

    private static BenchResult Fleet(string connectionString, int runs, int processes, int limit)
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(TeamStoreBenchmark).Assembly.Location;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, processes).Select(i =>
        {
            var start = new ProcessStartInfo(self) { RedirectStandardError = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
                start.ArgumentList.Add(dll);
            foreach (var a in new[] { Worker, connectionString, i % 2 == 0 ? "host-a" : "host-b", (runs / processes + (i < runs % processes ? 1 : 0)).ToString(), limit.ToString() })
                start.ArgumentList.Add(a);
            return Process.Start(start)!;
        }).ToList();
        foreach (var worker in workers)
        {
            worker.WaitForExit();
            if (worker.ExitCode != 0)
                throw new InvalidOperationException($"a fleet worker failed: {worker.StandardError.ReadToEnd()}");
        }
        var elapsed = watch.Elapsed.TotalMilliseconds;

        using var store = ClimuxStore.OpenPostgres(connectionString);
        var sessions = store.Find(new SessionFilter()).Where(s => s.Host is "host-a" or "host-b").ToList();
        var (most, overAdmitted) = Overlap(sessions, limit);
        var summary = $"{sessions.Count} runs, {sessions.Count(s => s.Status == SessionStatus.Completed)} completed, at most {most} at once (limit {limit}), " +
                      $"{overAdmitted} over-admitted, {Math.Round(sessions.Count / (elapsed / 1000), 0)} runs/s";
        Console.WriteLine($"  {processes} processes on 2 hosts: {summary}");
        return new BenchResult($"Shared store: {runs} runs from {processes} processes on 2 hosts, limit {limit}", "goal", Math.Round(elapsed, 0), Math.Round(elapsed, 0), 1,
            Goal: "zero over-admission", Detail: summary);
    }

    /// <summary>The most sessions running at once by the store's times, and how many starts found the limit already reached.</summary>
    private static (int Most, int OverAdmitted) Overlap(IReadOnlyList<ClimuxSession> sessions, int limit)
    {
        var edges = sessions.Where(s => s.StartedAt is not null && s.EndedAt is not null)
            .SelectMany(s => new[] { (At: s.StartedAt!.Value, Step: 1), (At: s.EndedAt!.Value, Step: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Step); // an end and a start in one millisecond: the end first
        int running = 0, most = 0, over = 0;
        foreach (var (_, step) in edges)
        {
            running += step;
            most = Math.Max(most, running);
            if (step > 0 && running > limit)
                over++;
        }
        return (most, over);
    }

    /// <summary>One process of the fleet: its runs, four at a time, each queued, admitted, held a few milliseconds and finished.</summary>
    public static int RunWorker(string connectionString, string host, int runs, int limit)
    {
        using var store = ClimuxStore.OpenPostgres(connectionString);
        using var signal = new PostgresStoreSignal(connectionString);
        var left = runs;
        var lanes = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
            {
                var session = Queue(store, host);
                await AdmitAsync(store, signal, session.Id, limit, host);
                await Task.Delay(Random.Shared.Next(1, 4));
                store.Finish(session.Id, new SessionOutcome(SessionStatus.Completed, 0, null, null, null, null));
                signal.Notify();
            }
        })).ToArray();
        Task.WaitAll(lanes);
        return 0;
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
