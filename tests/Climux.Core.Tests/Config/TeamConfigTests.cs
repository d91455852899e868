using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Config;

public sealed class TeamConfigTests
{
    [Fact]
    public void Team_settings_are_a_ceiling_a_machine_may_only_lower()
    {
        var team = TeamConfig.Edit(null, "concurrency.maxActiveSessions", 2);
        team = TeamConfig.Edit(team, "monitoring.maxDailyBudget", 10);
        team = TeamConfig.Edit(team, "pricing.team-model.input", 3);

        var generous = new ClimuxConfig { Concurrency = new ConcurrencyConfig { MaxActiveSessions = 8, MaxSessionsPerWorkspace = 4 } };
        TeamConfig.ApplyCeiling(generous, team);
        Assert.Equal(2, generous.Concurrency.MaxActiveSessions);
        Assert.Equal(4, generous.Concurrency.MaxSessionsPerWorkspace); // the team did not set it
        Assert.Equal(10m, generous.Monitoring.MaxDailyBudget);          // no budget of its own: the team's
        Assert.Equal(3m, generous.Pricing["team-model"].Input);

        var frugal = new ClimuxConfig
        {
            Concurrency = new ConcurrencyConfig { MaxActiveSessions = 1 },
            Monitoring = new MonitoringConfig { MaxDailyBudget = 4 },
        };
        TeamConfig.ApplyCeiling(frugal, team);
        Assert.Equal(1, frugal.Concurrency.MaxActiveSessions);
        Assert.Equal(4m, frugal.Monitoring.MaxDailyBudget);

        Assert.DoesNotContain("maxDailyBudget", TeamConfig.Edit(team, "monitoring.maxDailyBudget", null, remove: true));
    }

    [Fact]
    public void Only_limits_budgets_and_prices_are_team_settings_and_values_are_checked()
    {
        Assert.Throws<ConfigException>(() => TeamConfig.Edit(null, "providers.codex.command", "/bin/sh"));
        Assert.Throws<ConfigException>(() => TeamConfig.Edit(null, "concurrency.maxActiveSessions", -3));
    }

    [Fact]
    public void The_embedded_store_has_no_team_settings()
    {
        using var temp = new TempFolder();
        using var engine = ClimuxEngine.Open(temp.Home());
        Assert.Null(engine.TeamConfig());
        var refusal = Assert.Throws<InvalidOperationException>(() => engine.SetTeamSetting("concurrency.maxActiveSessions", 2));
        Assert.Contains("shared store", refusal.Message);
    }
}
