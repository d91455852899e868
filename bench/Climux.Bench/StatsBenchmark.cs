using System.Diagnostics;
using Climux.Core.Config;
using Climux.Core.Paths;
using Climux.Core.Quotas;
using Climux.Core.Sessions;
using Climux.Core.Stats;
using Climux.Core.Store;

namespace Climux.Bench;

/// <summary>
/// Get-ClimuxStats and Get-ClimuxStatus on a store of a million sessions (default) spread over
/// 180 days, 4 providers, 8 models, 20 workspaces.
/// </summary>
internal static class StatsBenchmark
{
    private const string StatsGoal = "at most 200 ms";

    /// <param name="keptHome">A Climux home kept between runs (seeded once, topped up when short); null: a temporary one.</param>
    public static void Run(string[] args, string? keptHome, List<BenchResult> results)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var home = new ClimuxHome(keptHome ?? Path.Combine(Path.GetTempPath(), $"climux-bench-{Guid.NewGuid():N}"));
        try
        {
            var seeded = File.Exists(home.DatabaseFile);
            using var store = ClimuxStore.Open(home);
            var seed = Stopwatch.StartNew();
            if (!seeded)
                Seed(store, count);
            Console.WriteLine($"{(seeded ? "reused" : "seeded")} {count:N0} sessions in {seed.Elapsed.TotalSeconds:0.0} s " +
                $"({new FileInfo(home.DatabaseFile).Length / 1024 / 1024} MiB) at {home.Root}");
            var sessions = $"{count:N0} sessions";

            var today = new DateTimeOffset(DateTime.Today);
            var now = DateTimeOffset.Now;
            var allTime = DateTimeOffset.MinValue.AddDays(1);
            results.Add(Measure("Get-ClimuxStats today, by provider", sessions, () => Stats(store, StatsGrouping.Provider, today, now).Count));
            results.Add(Measure("Get-ClimuxStats last 7 days, by day", sessions, () => Stats(store, StatsGrouping.Day, today.AddDays(-6), now).Count));
            results.Add(Measure("Get-ClimuxStats last 30 days, by model, one provider", sessions, () => Stats(store, StatsGrouping.Model, today.AddDays(-29), now, ["codex"]).Count));
            // Side by side: the same query adding up every session, as before the rollups.
            using var raw = new SqlStore(new SqliteDialect(home) { ReadsStatsRollups = false });
            foreach (var grouping in Enum.GetValues<StatsGrouping>())
            {
                var name = $"Get-ClimuxStats all time, by {grouping.ToString().ToLowerInvariant()}";
                var rawResult = Measure($"{name} (every session added up)", sessions, () => Stats(raw, grouping, allTime, now).Count);
                results.Add(Measure(name, sessions, () => Stats(store, grouping, allTime, now).Count, StatsGoal) with
                {
                    ComparedTo = "the same query adding up every session",
                    BaselineMedianMs = rawResult.MedianMs,
                });
            }
            results.Add(Measure("Get-ClimuxStatus (budget today, active sessions)", sessions, () => ClimuxStatus.Read(store, new ClimuxConfig()).ActiveSessions));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keptHome is null)
                Directory.Delete(home.Root, recursive: true);
        }
    }

    private static IReadOnlyList<ClimuxStatsRow> Stats(IClimuxStore store, StatsGrouping by, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? providers = null) =>
        store.Stats(by, from, to, providers, TimeZoneInfo.Local);

    private static BenchResult Measure(string what, string detail, Func<int> query, string? goal = null)
    {
        var rows = query(); // warm the page cache and the connection pool
        var (median, min) = Timing.Measure(5, _ => rows = query());
        Console.WriteLine($"{what,-56} median {median,8:0.0} ms   min {min,8:0.0} ms   ({rows} rows)");
        return new BenchResult(what, goal is null ? "none" : "goal", median, min, 5, Goal: goal, Detail: $"{detail}, {rows} rows");
    }

    private static void Seed(IClimuxStore store, int count)
    {
        string[] providers = ["claude-code", "codex", "gemini-cli", "opencode"];
        string[] models = ["claude-sonnet-4-5", "claude-opus-4-8", "gpt-5.1-codex", "gpt-5-mini", "gemini-2.5-pro", "gemini-2.5-flash", "claude-haiku-4-5", "gpt-5"];
        SessionStatus[] statuses = [SessionStatus.Completed, SessionStatus.Completed, SessionStatus.Completed, SessionStatus.Failed, SessionStatus.Stopped, SessionStatus.TimedOut];
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        var span = TimeSpan.FromDays(180);
        store.RestoreAll(Enumerable.Range(0, count).Select(i =>
        {
            var queued = now - span * random.NextDouble();
            return new ClimuxSession
            {
                Id = $"b{i:x7}",
                Provider = providers[i % providers.Length],
                Model = models[random.Next(models.Length)],
                Status = statuses[random.Next(statuses.Length)],
                Prompt = "benchmark prompt",
                Workspace = $"/src/repo{random.Next(20)}",
                Worktree = $"feature-{random.Next(50)}",
                Directory = "/tmp",
                QueuedAt = queued,
                StartedAt = queued.AddMilliseconds(500),
                EndedAt = queued.AddMilliseconds(500 + random.Next(600_000)),
                InputTokens = random.Next(100_000),
                OutputTokens = random.Next(20_000),
                CacheReadTokens = random.Next(500_000),
                CacheWriteTokens = random.Next(50_000),
                CostUsd = (decimal)(random.NextDouble() * 2),
                Turns = 3,
            };
        }));
    }
}
