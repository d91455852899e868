using Climux.Core.Agents;
using Climux.Core.Config;
using Climux.Core.Quotas;
using Climux.Core.Sessions;
using Climux.Core.Stats;
using Climux.Core.Store;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Quotas;

public sealed class StatsAndBudgetTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ClimuxStore _store;
    private readonly SessionFactory _sessions;
    private static readonly DateTimeOffset Today = new(DateTime.Today.AddHours(10));

    public StatsAndBudgetTests()
    {
        _store = ClimuxStore.Open(_temp.Home());
        _sessions = new SessionFactory(_store);
    }

    public void Dispose() => _temp.Dispose();

    private void Seed()
    {
        // Two days of work; the numbers are chosen so every total is easy to check by hand.
        _sessions.Finished(Today, SessionStatus.Completed, "claude-code", "claude-sonnet-4-5", "/a", "feature-x", new TokenUsage(100, 10, 1000, 50), 0.50m, TimeSpan.FromSeconds(60));
        _sessions.Finished(Today.AddMinutes(5), SessionStatus.Failed, "claude-code", "claude-sonnet-4-5", "/a", "feature-y", new TokenUsage(200, 20, 0, 0), 0.25m, TimeSpan.FromSeconds(30));
        _sessions.Finished(Today.AddMinutes(10), SessionStatus.Completed, "codex", "gpt-5", "/b", null, new TokenUsage(1000, 100, 500, 0), 1.00m, TimeSpan.FromSeconds(90));
        _sessions.Finished(Today.AddMinutes(15), SessionStatus.TimedOut, "codex", "gpt-5", "/b", null, new TokenUsage(1, 1, 0, 0), 0.01m, TimeSpan.FromSeconds(600));
        _sessions.Finished(Today.AddMinutes(20), SessionStatus.Stopped, "codex", "gpt-5", "/b", null, default, 0m, null);
        _sessions.Finished(Today.AddDays(-1), SessionStatus.Completed, "gemini-cli", "gemini-2.5-pro", "/a", null, new TokenUsage(5, 5, 5, 5), 2.00m, TimeSpan.FromSeconds(10));
    }

    private IReadOnlyList<ClimuxStatsRow> Stats(StatsGrouping by, DateTimeOffset? from = null, DateTimeOffset? to = null, IReadOnlyList<string>? providers = null) =>
        StatsQuery.Run(_store, by, from ?? new DateTimeOffset(DateTime.Today), to ?? new DateTimeOffset(DateTime.Today.AddDays(1)), providers);

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
        Assert.Equal(TimeSpan.FromSeconds(690), codex.TotalDuration);
        Assert.Equal(TimeSpan.FromSeconds(345), codex.MeanDuration);
        var claude = rows["claude-code"];
        Assert.Equal((2L, 1L, 1L), (claude.Sessions, claude.Succeeded, claude.Failed));
        Assert.Equal(1380L, claude.TotalTokens);
        Assert.Equal(0.75m, claude.CostUsd);
        Assert.Equal(TimeSpan.FromSeconds(45), claude.MeanDuration);
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
        Assert.Equal(new Dictionary<string, long> { ["feature-x"] = 1, ["feature-y"] = 1, [StatsQuery.None] = 3 }, worktrees);
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Europe/Berlin")]
    [InlineData("Australia/Lord_Howe")]
    public void Days_follow_the_local_zone_across_daylight_saving_changes(string zone)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists($"/usr/share/zoneinfo/{zone}"))
            return;
        // Around midnight on days either side of each change of 2026, where an offset off by an hour moves a session to another day.
        var days = new[] { "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-28", "2026-03-29", "2026-03-30", "2026-04-04", "2026-04-05",
            "2026-10-03", "2026-10-04", "2026-10-24", "2026-10-25", "2026-10-26", "2026-10-31", "2026-11-01", "2026-11-02" };
        foreach (var day in days)
            foreach (var hours in new[] { -14.5, -13, -11, -10.25, -9.5, -5.5, -4.5, -3.5, -1.5, -0.5, 0.5, 1.5, 4.5, 10.5, 11.5, 13.5, 14.5 })
                _sessions.Finished(DateTimeOffset.Parse(day + "T00:00:00Z").AddHours(hours), SessionStatus.Completed);

        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (var a in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "Climux.TestHost.dll"), "local-days", _temp.Combine("home") })
            start.ArgumentList.Add(a);
        start.Environment["TZ"] = zone;
        using var process = System.Diagnostics.Process.Start(start)!;
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        var sql = lines.Where(l => l.StartsWith("sql ")).Select(l => l[4..]).ToList();
        var net = lines.Where(l => l.StartsWith("net ")).Select(l => l[4..]).ToList();
        Assert.NotEmpty(sql);
        Assert.Equal(net, sql);
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
    }

    [Fact]
    public void Budget_counts_today_only_and_reports_its_thresholds()
    {
        Seed();
        var budget = Budget.Today(_store, new MonitoringConfig { MaxDailyBudget = 2.00m, AlertThreshold = 0.8 });
        Assert.Equal(1.76m, budget.SpentToday);
        Assert.Equal(0.88, budget.FractionUsed!.Value, 3);
        Assert.True(budget.PastAlertThreshold);
        Assert.False(budget.IsSpent);
        Assert.True(Budget.Today(_store, new MonitoringConfig { MaxDailyBudget = 1.76m }).IsSpent);
        var none = Budget.Today(_store, new MonitoringConfig());
        Assert.False(none.HasBudget);
        Assert.Null(none.FractionUsed);
        Assert.False(none.IsSpent);
    }

    [Fact]
    public void Status_counts_running_and_queued_sessions_per_workspace()
    {
        Seed();
        var running = _sessions.Queue(workspace: "/a");
        _sessions.Sql($"UPDATE sessions SET status = 'Running' WHERE id = '{running.Id}'");
        _sessions.Queue(workspace: "/a");
        _sessions.Queue(workspace: null);
        var config = new ClimuxConfig { Monitoring = new MonitoringConfig { MaxDailyBudget = 4m } };
        var status = ClimuxStatus.Read(_store, config);
        Assert.Equal((1, 2), (status.ActiveSessions, status.QueuedSessions));
        Assert.Equal([running.Id], status.ActiveSessionIds);
        Assert.Equal(["(none)", "/a"], status.Workspaces.Select(w => w.Workspace));
        Assert.Equal((1, 1), (status.Workspaces[1].Running, status.Workspaces[1].Queued));
        Assert.Equal(1.76m, status.CostToday);
        Assert.Equal(0.44, status.BudgetUsed!.Value, 3);
        Assert.Equal("1/5 running, 2 queued, $1.76 today of $4.00 (44%)", status.ToString().Replace(" %", "%"));
    }
}
