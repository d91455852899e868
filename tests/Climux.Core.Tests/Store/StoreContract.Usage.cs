using Climux.Core.Agents;
using Climux.Core.Config;
using Climux.Core.Quotas;
using Climux.Core.Sessions;
using Climux.Core.Stats;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Store;

public abstract partial class StoreContract
{
    private static readonly DateTimeOffset Today = new(DateTime.Today.AddHours(10));

    private void Seed()
    {
        // Two days of work; the numbers are chosen so every total is easy to check by hand.
        Sessions.Finished(Today, SessionStatus.Completed, "claude-code", "claude-sonnet-4-5", "/a", "feature-x", new TokenUsage(100, 10, 1000, 50), 0.50m, TimeSpan.FromSeconds(60));
        Sessions.Finished(Today.AddMinutes(5), SessionStatus.Failed, "claude-code", "claude-sonnet-4-5", "/a", "feature-y", new TokenUsage(200, 20, 0, 0), 0.25m, TimeSpan.FromSeconds(30));
        Sessions.Finished(Today.AddMinutes(10), SessionStatus.Completed, "codex", "gpt-5", "/b", null, new TokenUsage(1000, 100, 500, 0), 1.00m, TimeSpan.FromSeconds(90));
        Sessions.Finished(Today.AddMinutes(15), SessionStatus.TimedOut, "codex", "gpt-5", "/b", null, new TokenUsage(1, 1, 0, 0), 0.01m, TimeSpan.FromSeconds(600));
        Sessions.Finished(Today.AddMinutes(20), SessionStatus.Stopped, "codex", "gpt-5", "/b", null, default, 0m, null);
        Sessions.Finished(Today.AddDays(-1), SessionStatus.Completed, "gemini-cli", "gemini-2.5-pro", "/a", null, new TokenUsage(5, 5, 5, 5), 2.00m, TimeSpan.FromSeconds(10));
    }

    private IReadOnlyList<ClimuxStatsRow> Stats(StatsGrouping by, DateTimeOffset? from = null, DateTimeOffset? to = null, IReadOnlyList<string>? providers = null) =>
        Store.Stats(by, from ?? new DateTimeOffset(DateTime.Today), to ?? new DateTimeOffset(DateTime.Today.AddDays(1)), providers, TimeZoneInfo.Local);

    [Fact]
    public void By_provider_today_matches_the_hand_computed_totals()
    {
        Seed();
        var rows = Stats(StatsGrouping.Provider).ToDictionary(r => r.Key);
        Assert.Equal(2, rows.Count);
        var codex = rows["codex"];
        Assert.Equal((3L, 1L, 1L, 1L), (codex.Sessions, codex.Succeeded, codex.Failed, codex.Stopped));
        Assert.Equal((1001L, 101L, 500L, 0L), (codex.InputTokens, codex.OutputTokens, codex.CacheReadTokens, codex.CacheWriteTokens));
        Assert.Equal(1.01m, codex.CostUsd);
        Assert.Equal(690, codex.TotalDurationSeconds);
        Assert.Equal(345, codex.MeanDurationSeconds);
        var claude = rows["claude-code"];
        Assert.Equal((2L, 1L, 1L), (claude.Sessions, claude.Succeeded, claude.Failed));
        Assert.Equal(1380L, claude.TotalTokens);
        Assert.Equal(0.75m, claude.CostUsd);
        Assert.Equal(45, claude.MeanDurationSeconds);
        Assert.Equal("codex", Stats(StatsGrouping.Provider)[0].Key); // most expensive first
    }

    [Fact]
    public void By_day_model_workspace_and_worktree()
    {
        Seed();
        var from = new DateTimeOffset(DateTime.Today.AddDays(-1));
        var days = Stats(StatsGrouping.Day, from);
        Assert.Equal([DateTime.Today.AddDays(-1).ToString("yyyy-MM-dd"), DateTime.Today.ToString("yyyy-MM-dd")], days.Select(d => d.Key));
        Assert.Equal([2.00m, 1.76m], days.Select(d => d.CostUsd));

        var models = Stats(StatsGrouping.Model, from).ToDictionary(r => r.Key, r => r.Sessions);
        Assert.Equal(new Dictionary<string, long> { ["gpt-5"] = 3, ["claude-sonnet-4-5"] = 2, ["gemini-2.5-pro"] = 1 }, models);

        var workspaces = Stats(StatsGrouping.Workspace, from).ToDictionary(r => r.Key, r => r.CostUsd);
        Assert.Equal(new Dictionary<string, decimal> { ["/a"] = 2.75m, ["/b"] = 1.01m }, workspaces);

        var worktrees = Stats(StatsGrouping.Worktree).ToDictionary(r => r.Key, r => r.Sessions);
        Assert.Equal(new Dictionary<string, long> { ["feature-x"] = 1, ["feature-y"] = 1, [ClimuxStatsRow.None] = 3 }, worktrees);
    }

    [Fact]
    public void Ranges_and_provider_filters_narrow_the_sessions()
    {
        Seed();
        Assert.Empty(Stats(StatsGrouping.Provider, Today.AddDays(-10), Today.AddDays(-5)));
        var yesterday = Stats(StatsGrouping.Provider, new DateTimeOffset(DateTime.Today.AddDays(-1)), new DateTimeOffset(DateTime.Today));
        Assert.Equal("gemini-cli", Assert.Single(yesterday).Key);
        var onlyClaude = Stats(StatsGrouping.Model, providers: ["claude-code"]);
        Assert.Equal("claude-sonnet-4-5", Assert.Single(onlyClaude).Key);
        Assert.Equal("claude-sonnet-4-5", Assert.Single(Stats(StatsGrouping.Model, providers: ["Claude-Code"])).Key);
    }

    [Fact]
    public void Stats_equal_a_straightforward_aggregation_of_the_sessions()
    {
        var random = new Random(20260615);
        var providers = new[] { "claude-code", "codex", "gemini-cli", "opencode" };
        var statuses = Enum.GetValues<SessionStatus>();
        var start = new DateTimeOffset(DateTime.Today.AddDays(-20));
        var sessions = Enumerable.Range(0, 300).Select(i =>
        {
            var ran = random.Next(4) == 0 ? (TimeSpan?)null : TimeSpan.FromMilliseconds(random.Next(1, 3_600_000));
            var status = ran is null ? SessionStatus.Stopped : statuses[random.Next(statuses.Length)];
            if (status is SessionStatus.Queued or SessionStatus.Running)
                status = SessionStatus.Completed; // live ones are counted by a clock this test does not control
            return Sessions.Finished(start.AddMinutes(random.Next(0, 20 * 24 * 60)), status,
                providers[random.Next(providers.Length)], random.Next(5) == 0 ? null : $"model-{random.Next(3)}",
                random.Next(6) == 0 ? null : $"/w{random.Next(3)}", random.Next(3) == 0 ? null : $"wt-{random.Next(4)}",
                new TokenUsage(random.Next(0, 100_000), random.Next(0, 10_000), random.Next(0, 1_000_000), random.Next(0, 1000)),
                Math.Round((decimal)random.NextDouble() * 3, 6), ran);
        }).ToList();
        var from = start.AddDays(2);
        var to = start.AddDays(15);
        var inRange = sessions.Where(s => s.QueuedAt >= from && s.QueuedAt < to).ToList();

        foreach (var by in Enum.GetValues<StatsGrouping>())
        {
            Func<ClimuxSession, string?> keyOf = by switch
            {
                StatsGrouping.Provider => s => s.Provider,
                StatsGrouping.Model => s => s.Model,
                StatsGrouping.Workspace => s => s.Workspace,
                StatsGrouping.Worktree => s => s.Worktree,
                _ => s => s.QueuedAt.ToLocalTime().ToString("yyyy-MM-dd"),
            };
            var expected = inRange.GroupBy(s => keyOf(s) ?? ClimuxStatsRow.None).ToDictionary(g => g.Key);
            var actual = Stats(by, from, to);
            Assert.Equal(expected.Keys.Order(), actual.Select(r => r.Key).Order());
            foreach (var row in actual)
            {
                var group = expected[row.Key];
                Assert.Equal(group.LongCount(), row.Sessions);
                Assert.Equal(group.LongCount(s => s.Status == SessionStatus.Completed), row.Succeeded);
                Assert.Equal(group.LongCount(s => s.Status is SessionStatus.Failed or SessionStatus.TimedOut or SessionStatus.Orphaned), row.Failed);
                Assert.Equal(group.LongCount(s => s.Status == SessionStatus.Stopped), row.Stopped);
                Assert.Equal(0, row.Active);
                Assert.Equal(group.Sum(s => s.InputTokens), row.InputTokens);
                Assert.Equal(group.Sum(s => s.OutputTokens), row.OutputTokens);
                Assert.Equal(group.Sum(s => s.CacheReadTokens), row.CacheReadTokens);
                Assert.Equal(group.Sum(s => s.CacheWriteTokens), row.CacheWriteTokens);
                Assert.Equal(group.Sum(s => s.CostUsd), row.CostUsd, 6);
                var ran = group.Where(s => s.StartedAt is not null).ToList();
                Assert.Equal(ran.Sum(s => (s.EndedAt!.Value - s.StartedAt!.Value).TotalMilliseconds), row.TotalDurationSeconds * 1000, 0);
                if (ran.Count == 0)
                    Assert.Null(row.MeanDurationSeconds);
                else
                    Assert.Equal(ran.Average(s => (s.EndedAt!.Value - s.StartedAt!.Value).TotalMilliseconds), row.MeanDurationSeconds!.Value * 1000, 3);
            }
            if (by == StatsGrouping.Day)
                Assert.Equal(actual.Select(r => r.Key).Order(StringComparer.Ordinal), actual.Select(r => r.Key));
            else
                Assert.Equal(actual.Select(r => r.CostUsd).OrderDescending(), actual.Select(r => r.CostUsd));
        }
    }

    [Fact]
    public void Sums_never_overflow_and_negative_numbers_never_offset_them()
    {
        Sessions.Finished(Today, SessionStatus.Completed, usage: new TokenUsage(1, long.MaxValue, 0, 0), cost: 1m, ran: TimeSpan.FromSeconds(1));
        Sessions.Finished(Today.AddMinutes(1), SessionStatus.Completed, usage: new TokenUsage(1, long.MaxValue, 0, 0), cost: 1m, ran: TimeSpan.FromSeconds(1));
        Sessions.Finished(Today.AddMinutes(2), SessionStatus.Completed, usage: new TokenUsage(-1000, 0, 0, 0), cost: -100m, ran: TimeSpan.FromSeconds(1));

        var row = Assert.Single(Stats(StatsGrouping.Provider));
        Assert.Equal(long.MaxValue, row.OutputTokens);
        Assert.Equal(2, row.InputTokens);
        Assert.Equal(long.MaxValue, row.TotalTokens);
        Assert.Equal(2m, row.CostUsd);
        Assert.Equal(3, row.Sessions);

        var budget = Budget.Today(Store, new MonitoringConfig { MaxDailyBudget = 1.5m });
        Assert.Equal(2m, budget.SpentToday);
        Assert.True(budget.IsSpent);
    }

    [Fact]
    public void Budget_counts_today_only_and_reports_its_thresholds()
    {
        Seed();
        var budget = Budget.Today(Store, new MonitoringConfig { MaxDailyBudget = 2.00m, AlertThreshold = 0.8 });
        Assert.Equal(1.76m, budget.SpentToday);
        Assert.Equal(0.88, budget.FractionUsed!.Value, 3);
        Assert.True(budget.PastAlertThreshold);
        Assert.False(budget.IsSpent);
        Assert.True(Budget.Today(Store, new MonitoringConfig { MaxDailyBudget = 1.76m }).IsSpent);
        var none = Budget.Today(Store, new MonitoringConfig());
        Assert.False(none.HasBudget);
        Assert.Null(none.FractionUsed);
        Assert.False(none.IsSpent);
    }

    [Fact]
    public void Status_counts_running_and_queued_sessions_per_workspace()
    {
        Seed();
        var running = Sessions.Put(SessionFactory.Row(workspace: "/a") with { Status = SessionStatus.Running, StartedAt = DateTimeOffset.UtcNow });
        Sessions.Queue(workspace: "/a");
        Sessions.Queue(workspace: null);
        var config = new ClimuxConfig { Monitoring = new MonitoringConfig { MaxDailyBudget = 4m } };
        var status = ClimuxStatus.Read(Store, config);
        Assert.Equal((1, 2), (status.ActiveSessions, status.QueuedSessions));
        Assert.Equal([running.Id], status.ActiveSessionIds);
        Assert.Equal(["(none)", "/a"], status.Workspaces.Select(w => w.Workspace));
        Assert.Equal((1, 1), (status.Workspaces[1].Running, status.Workspaces[1].Queued));
        Assert.Equal(1.76m, status.CostToday);
        Assert.Equal(0.44, status.BudgetUsed!.Value, 3);
        Assert.Equal("1/5 running, 2 queued, $1.76 today of $4.00 (44%)", status.ToString().Replace(" %", "%"));
    }
}
