using Climux.Core.Agents;
using Climux.Core.Sessions;
using Climux.Core.Stats;
using Climux.Core.Store;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Store;

public abstract partial class StoreContract
{
    private static readonly string[] RandomProviders = ["claude-code", "codex", "Gemini-CLI", "opencode"];

    /// <summary>
    /// Random sessions over ten days around a change of daylight saving time, some live, some never
    /// started, then finished, changed and deleted after they were stored.
    /// </summary>
    private protected static List<ClimuxSession> RandomSessions(IClimuxStore store, Random random, DateTimeOffset start)
    {
        var statuses = Enum.GetValues<SessionStatus>();
        var stored = Enumerable.Range(0, 400).Select(_ =>
        {
            var queued = start.AddMilliseconds(random.NextInt64(0, 10L * 86_400_000));
            var status = statuses[random.Next(statuses.Length)];
            var live = status is SessionStatus.Queued or SessionStatus.Running;
            // Sessions with a start but no end are timed by the clock: leave their start out.
            var endless = live || random.Next(10) == 0;
            var ran = endless || random.Next(4) == 0 ? (TimeSpan?)null : TimeSpan.FromMilliseconds(random.Next(1, 7_200_000));
            return new SessionFactory(store).Put(SessionFactory.Row(RandomProviders[random.Next(RandomProviders.Length)],
                random.Next(6) == 0 ? null : $"/w{random.Next(3)}", random.Next(3) == 0 ? null : $"wt-{random.Next(4)}") with
            {
                Status = status,
                Model = random.Next(5) == 0 ? null : $"model-{random.Next(3)}",
                QueuedAt = queued,
                StartedAt = ran is null ? null : queued.AddSeconds(1),
                EndedAt = endless ? null : queued.AddSeconds(1) + (ran ?? TimeSpan.Zero),
                InputTokens = random.Next(-10, 100_000),
                OutputTokens = random.Next(0, 10_000),
                CacheReadTokens = random.Next(0, 1_000_000),
                CacheWriteTokens = random.Next(0, 1000),
                CostUsd = Math.Round((decimal)random.NextDouble() * 3 - 0.1m, 6),
            });
        }).ToList();

        // Changes after storing: queued ones finish and settled ones get new figures, others are deleted.
        foreach (var session in stored.Where(s => s.Status == SessionStatus.Queued && s.StartedAt is null).Take(15))
            Assert.True(store.Finish(session.Id, new SessionOutcome(SessionStatus.Completed, 0, "ok", null,
                new SessionProgress(null, "model-late", new TokenUsage(7, 8, 9, 10), 0.5m, CostSource.Computed, 2), null)));
        foreach (var session in stored.Where(s => s.EndedAt is not null).Skip(20).Take(15))
            Assert.True(store.UpdateProgress(session.Id, new SessionProgress(null, "model-changed", new TokenUsage(1, 2, 3, 4), 0.25m, CostSource.Reported, 1)));
        foreach (var session in stored.Where(s => s.EndedAt is not null).Take(20))
            Assert.True(store.Delete(session.Id));
        return store.Find(new SessionFilter()).ToList();
    }

    [Fact]
    public void Stats_over_ranges_that_cut_through_days_equal_the_sessions_added_up_one_by_one()
    {
        var random = new Random(20261202);
        var start = new DateTimeOffset(2026, 3, 24, 0, 0, 0, TimeSpan.Zero);
        AssertStatsAddUp(Store, RandomSessions(Store, random, start), random, start);
    }

    /// <summary>Every grouping, over all time and over random ranges, in zones with and without whole quarter hours.</summary>
    private protected static void AssertStatsAddUp(IClimuxStore store, List<ClimuxSession> sessions, Random random, DateTimeOffset start)
    {
        TimeZoneInfo[] zones =
        [
            TimeZoneInfo.Utc,
            TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), // daylight saving starts on 29 March
            TimeZoneInfo.FindSystemTimeZoneById("Asia/Kathmandu"), // +05:45
            TimeZoneInfo.CreateCustomTimeZone("odd", TimeSpan.FromMinutes(7), "odd", "odd"), // not whole quarter hours
        ];
        var allTime = (DateTimeOffset.MinValue.AddDays(1), DateTimeOffset.MaxValue.AddDays(-1));
        var ranges = new List<(DateTimeOffset From, DateTimeOffset To)> { allTime, (start.AddDays(2), start.AddDays(5)) };
        for (var i = 0; i < 6; i++)
        {
            var a = start.AddMilliseconds(random.NextInt64(-86_400_000, 11L * 86_400_000));
            var b = a.AddMilliseconds(random.NextInt64(0, i < 3 ? 3_600_000 : 6L * 86_400_000));
            ranges.Add((a, b));
        }

        foreach (var (from, to) in ranges)
            foreach (var by in Enum.GetValues<StatsGrouping>())
                foreach (var zone in by == StatsGrouping.Day ? zones : zones[..1])
                    foreach (var providers in new[] { null, new[] { "gemini-cli", "CODEX" } })
                        AssertStatsAddUp(store, sessions, by, from, to, providers, zone);
    }

    private static void AssertStatsAddUp(IClimuxStore store, List<ClimuxSession> sessions, StatsGrouping by, DateTimeOffset from, DateTimeOffset to, string[]? providers, TimeZoneInfo zone)
    {
        var context = $"{by} from {from:o} to {to:o} in {zone.Id}, providers {string.Join(",", providers ?? [])}";
        Func<ClimuxSession, string?> keyOf = by switch
        {
            StatsGrouping.Provider => s => s.Provider,
            StatsGrouping.Model => s => s.Model,
            StatsGrouping.Workspace => s => s.Workspace,
            StatsGrouping.Worktree => s => s.Worktree,
            _ => s => TimeZoneInfo.ConvertTime(s.QueuedAt, zone).ToString("yyyy-MM-dd"),
        };
        var expected = sessions
            .Where(s => s.QueuedAt >= from && s.QueuedAt < to)
            .Where(s => providers is null || providers.Contains(s.Provider, StringComparer.OrdinalIgnoreCase))
            .GroupBy(s => keyOf(s) ?? ClimuxStatsRow.None)
            .ToDictionary(g => g.Key);
        var actual = store.Stats(by, from, to, providers, zone);
        Assert.True(expected.Keys.Order().SequenceEqual(actual.Select(r => r.Key).Order()), context);
        static long Positive(long value) => Math.Max(value, 0);
        foreach (var row in actual)
        {
            var group = expected[row.Key];
            var ran = group.Where(s => s.StartedAt is not null).ToList();
            Assert.Equal(
                (group.LongCount(), group.LongCount(s => s.Status == SessionStatus.Completed),
                    group.LongCount(s => s.Status is SessionStatus.Failed or SessionStatus.TimedOut or SessionStatus.Orphaned),
                    group.LongCount(s => s.Status == SessionStatus.Stopped), group.LongCount(s => s.Status is SessionStatus.Queued or SessionStatus.Running)),
                (row.Sessions, row.Succeeded, row.Failed, row.Stopped, row.Active));
            Assert.Equal(
                (group.Sum(s => Positive(s.InputTokens)), group.Sum(s => Positive(s.OutputTokens)),
                    group.Sum(s => Positive(s.CacheReadTokens)), group.Sum(s => Positive(s.CacheWriteTokens))),
                (row.InputTokens, row.OutputTokens, row.CacheReadTokens, row.CacheWriteTokens));
            Assert.True(Math.Abs(group.Sum(s => Math.Max(s.CostUsd, 0)) - row.CostUsd) < 0.000_001m, context);
            Assert.Equal(ran.Sum(s => Math.Max(0, (s.EndedAt!.Value - s.StartedAt!.Value).TotalMilliseconds)), row.TotalDurationSeconds * 1000, 0);
            Assert.Equal(ran.Count == 0, row.MeanDurationSeconds is null);
        }
    }
}

public sealed partial class SqliteStoreContract
{
    [Fact]
    public void Stats_rollups_are_filled_from_the_sessions_stored_before_them()
    {
        var home = Temp.Home("older");
        var random = new Random(7);
        var start = new DateTimeOffset(2026, 3, 24, 0, 0, 0, TimeSpan.Zero);
        List<ClimuxSession> sessions;
        using (var older = new SqlStore(new SqliteDialect(home, SqliteSchema.All.Where(m => m.Version < SqliteSchema.StatsRollupsVersion).ToList())))
            sessions = RandomSessions(older, random, start);
        using var migrated = ClimuxStore.Open(home);
        Assert.Equal(SqliteSchema.Latest, migrated.Check().SchemaVersion);
        AssertStatsAddUp(migrated, sessions, random, start);
    }
}
