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
    public static Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        // CLIMUX_BENCH_HOME keeps the seeded store between runs (seeded once, never deleted).
        var kept = Environment.GetEnvironmentVariable("CLIMUX_BENCH_HOME");
        var home = new ClimuxHome(kept ?? Path.Combine(Path.GetTempPath(), $"climux-bench-{Guid.NewGuid():N}"));
        try
        {
            var seeded = File.Exists(home.DatabaseFile);
            using var store = ClimuxStore.Open(home);
            var seed = Stopwatch.StartNew();
            if (!seeded)
                Seed(store, count);
            Console.WriteLine($"{(seeded ? "reused" : "seeded")} {count:N0} sessions in {seed.Elapsed.TotalSeconds:0.0} s ({new FileInfo(home.DatabaseFile).Length / 1024 / 1024} MiB)");

            var today = new DateTimeOffset(DateTime.Today);
            var now = DateTimeOffset.Now;
            Measure("stats today, by provider", () => Stats(store, StatsGrouping.Provider, today, now).Count);
            Measure("stats last 7 days, by day", () => Stats(store, StatsGrouping.Day, today.AddDays(-6), now).Count);
            Measure("stats last 30 days, by model, one provider", () => Stats(store, StatsGrouping.Model, today.AddDays(-29), now, ["codex"]).Count);
            Measure("stats all time, by workspace", () => Stats(store, StatsGrouping.Workspace, DateTimeOffset.MinValue.AddDays(1), now).Count);
            Measure("stats all time, by day", () => Stats(store, StatsGrouping.Day, DateTimeOffset.MinValue.AddDays(1), now).Count);
            Measure("status (budget today, active sessions)", () => ClimuxStatus.Read(store, new ClimuxConfig()).ActiveSessions);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (kept is null)
                Directory.Delete(home.Root, recursive: true);
        }
        return Task.CompletedTask;
    }

    private static IReadOnlyList<ClimuxStatsRow> Stats(IClimuxStore store, StatsGrouping by, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? providers = null) =>
        store.Stats(by, from, to, providers, TimeZoneInfo.Local);

    private static void Measure(string what, Func<int> query)
    {
        var rows = query(); // warm the page cache and the connection pool
        var (median, min) = Timing.Measure(5, _ => rows = query());
        Console.WriteLine($"{what,-48} median {median,8:0.0} ms   min {min,8:0.0} ms   ({rows} rows)");
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
