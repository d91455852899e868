using System.Diagnostics;
using Climux.Core.Config;
using Climux.Core.Paths;
using Climux.Core.Quotas;
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
            var store = ClimuxStore.Open(home);
            var existing = store.Read(c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT count(*) FROM sessions";
                return Convert.ToInt32(command.ExecuteScalar());
            });
            var seed = Stopwatch.StartNew();
            if (existing < count)
                Seed(store, existing, count);
            Console.WriteLine($"{(existing >= count ? "reused" : existing > 0 ? $"topped up {existing:N0} to" : "seeded")} {Math.Max(existing, count):N0} sessions " +
                $"in {seed.Elapsed.TotalSeconds:0.0} s ({new FileInfo(home.DatabaseFile).Length / 1024 / 1024} MiB) at {home.Root}");
            var sessions = $"{Math.Max(existing, count):N0} sessions";

            var today = new DateTimeOffset(DateTime.Today);
            var now = DateTimeOffset.Now;
            var allTime = DateTimeOffset.MinValue.AddDays(1);
            results.Add(Measure("Get-ClimuxStats today, by provider", sessions, () => StatsQuery.Run(store, StatsGrouping.Provider, today, now).Count));
            results.Add(Measure("Get-ClimuxStats last 7 days, by day", sessions, () => StatsQuery.Run(store, StatsGrouping.Day, today.AddDays(-6), now).Count));
            results.Add(Measure("Get-ClimuxStats last 30 days, by model, one provider", sessions, () => StatsQuery.Run(store, StatsGrouping.Model, today.AddDays(-29), now, ["codex"]).Count));
            foreach (var grouping in Enum.GetValues<StatsGrouping>())
                results.Add(Measure($"Get-ClimuxStats all time, by {grouping.ToString().ToLowerInvariant()}", sessions,
                    () => StatsQuery.Run(store, grouping, allTime, now).Count, StatsGoal));
            results.Add(Measure("Get-ClimuxStatus (budget today, active sessions)", sessions, () => ClimuxStatus.Read(store, new ClimuxConfig()).ActiveSessions));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keptHome is null)
                Directory.Delete(home.Root, recursive: true);
        }
    }

    private static BenchResult Measure(string what, string detail, Func<int> query, string? goal = null)
    {
        var rows = query(); // warm the page cache and the connection pool
        var (median, min) = Timing.Measure(5, _ => rows = query());
        Console.WriteLine($"{what,-56} median {median,8:0.0} ms   min {min,8:0.0} ms   ({rows} rows)");
        return new BenchResult(what, goal is null ? "none" : "goal", median, min, 5, Goal: goal, Detail: $"{detail}, {rows} rows");
    }

    private static void Seed(ClimuxStore store, int from, int count)
    {
        string[] providers = ["claude-code", "codex", "gemini-cli", "opencode"];
        string[] models = ["claude-sonnet-4-5", "claude-opus-4-8", "gpt-5.1-codex", "gpt-5-mini", "gemini-2.5-pro", "gemini-2.5-flash", "claude-haiku-4-5", "gpt-5"];
        string[] statuses = ["Completed", "Completed", "Completed", "Failed", "Stopped", "TimedOut"];
        var random = new Random(42 + from);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        const long span = 180L * 24 * 3600 * 1000;
        store.Write((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO sessions (id, provider, model, mode, status, prompt, workspace, worktree, directory, queued_at, started_at, ended_at,
                    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, turns)
                VALUES ($id, $provider, $model, 'Task', $status, 'benchmark prompt', $workspace, $worktree, '/tmp', $queued, $started, $ended,
                    $in, $out, $cr, $cw, $cost, 3)
                """;
            var p = new Dictionary<string, Microsoft.Data.Sqlite.SqliteParameter>();
            foreach (var name in new[] { "$id", "$provider", "$model", "$status", "$workspace", "$worktree", "$queued", "$started", "$ended", "$in", "$out", "$cr", "$cw", "$cost" })
                p[name] = command.Parameters.Add(name, Microsoft.Data.Sqlite.SqliteType.Text);
            command.Prepare();
            for (var i = from; i < count; i++)
            {
                var queued = now - (long)(random.NextDouble() * span);
                p["$id"].Value = $"b{i:x7}";
                p["$provider"].Value = providers[i % providers.Length];
                p["$model"].Value = models[random.Next(models.Length)];
                p["$status"].Value = statuses[random.Next(statuses.Length)];
                p["$workspace"].Value = $"/src/repo{random.Next(20)}";
                p["$worktree"].Value = $"feature-{random.Next(50)}";
                p["$queued"].Value = queued;
                p["$started"].Value = queued + 500;
                p["$ended"].Value = queued + 500 + random.Next(600_000);
                p["$in"].Value = random.Next(100_000);
                p["$out"].Value = random.Next(20_000);
                p["$cr"].Value = random.Next(500_000);
                p["$cw"].Value = random.Next(50_000);
                p["$cost"].Value = random.NextDouble() * 2;
                command.ExecuteNonQuery();
            }
        });
    }
}
