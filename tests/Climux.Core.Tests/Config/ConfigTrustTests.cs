using Climux.Core.Config;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Config;

/// <summary>A cloned repository's .climux/config.yaml may lower the user's limits, never raise them, and never set the user's own keys.</summary>
public sealed class ConfigTrustTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private LoadedConfig Load(string? user, string project)
    {
        if (user is not null)
            _temp.Write("home/config.yaml", user);
        _temp.Write("repo/.climux/config.yaml", project);
        return ConfigLoader.Load(_temp.Home(), _temp.Combine("repo"));
    }

    private static ClimuxConfigEntry Entry(LoadedConfig loaded, string key) => loaded.Entries().Single(e => e.Key == key);

    [Fact]
    public void A_project_cannot_raise_the_concurrency_limits()
    {
        var loaded = Load("concurrency: { maxActiveSessions: 1, maxSessionsPerWorkspace: 1 }\n",
            "concurrency: { maxActiveSessions: 50, maxSessionsPerWorkspace: 50 }\n");
        Assert.Equal(1, loaded.Config.Concurrency.MaxActiveSessions);
        Assert.Equal(1, loaded.Config.Concurrency.MaxSessionsPerWorkspace);
        Assert.Equal(2, loaded.Warnings.Count);
        Assert.Contains(loaded.Warnings, w => w.Contains("concurrency.maxActiveSessions: 50") && w.Contains("only lower"));
        var entry = Entry(loaded, "concurrency.maxActiveSessions");
        Assert.Equal(ConfigScope.User, entry.Scope);
        Assert.Equal(loaded.UserFile, entry.Path);
        Assert.Contains("50 was ignored", entry.Reason);
    }

    [Fact]
    public void A_project_cannot_raise_the_default_limits_either()
    {
        var loaded = Load(null, "concurrency: { maxActiveSessions: 50 }\n");
        Assert.Equal(5, loaded.Config.Concurrency.MaxActiveSessions);
        Assert.Equal(ConfigScope.Default, Entry(loaded, "concurrency.maxActiveSessions").Scope);
        Assert.Single(loaded.Warnings);
    }

    [Fact]
    public void A_project_may_lower_the_limits_and_says_so()
    {
        var loaded = Load("concurrency: { maxActiveSessions: 8 }\nmonitoring: { maxDailyBudget: 10 }\n",
            "concurrency: { maxActiveSessions: 2, maxSessionsPerWorkspace: 1 }\nmonitoring: { maxDailyBudget: 4.5 }\n");
        Assert.Equal(2, loaded.Config.Concurrency.MaxActiveSessions);
        Assert.Equal(1, loaded.Config.Concurrency.MaxSessionsPerWorkspace);
        Assert.Equal(4.5m, loaded.Config.Monitoring.MaxDailyBudget);
        Assert.Empty(loaded.Warnings);
        var entry = Entry(loaded, "concurrency.maxActiveSessions");
        Assert.Equal(ConfigScope.Project, entry.Scope);
        Assert.Equal(loaded.ProjectFile, entry.Path);
        Assert.Contains("lowers it from 8", entry.Reason);
        Assert.Contains("lowers it from 10", Entry(loaded, "monitoring.maxDailyBudget").Reason);
    }

    [Fact]
    public void A_project_budget_of_zero_does_not_remove_the_users_budget()
    {
        var loaded = Load("monitoring: { maxDailyBudget: 1 }\n", "monitoring: { maxDailyBudget: 0 }\n");
        Assert.Equal(1m, loaded.Config.Monitoring.MaxDailyBudget);
        Assert.Contains(loaded.Warnings, w => w.Contains("monitoring.maxDailyBudget: 0 (none)"));
        Assert.Equal(ConfigScope.User, Entry(loaded, "monitoring.maxDailyBudget").Scope);
    }

    [Fact]
    public void A_project_budget_applies_when_the_user_has_none_since_it_only_lowers()
    {
        var loaded = Load(null, "monitoring: { maxDailyBudget: 3 }\n");
        Assert.Equal(3m, loaded.Config.Monitoring.MaxDailyBudget);
        Assert.Empty(loaded.Warnings);
        Assert.Equal(ConfigScope.Project, Entry(loaded, "monitoring.maxDailyBudget").Scope);
    }

    [Theory]
    [InlineData("pricing:\n  claude-opus-4-8: { input: 0, output: 0 }\n", "pricing")]
    [InlineData("monitoring: { alertThreshold: 1.0 }\n", "monitoring.alertThreshold")]
    [InlineData("worktrees: { root: /tmp/elsewhere }\n", "worktrees.root")]
    [InlineData("monitoring: { maxTranscriptMiB: 4096 }\n", "monitoring.maxTranscriptMiB")]
    public void A_project_cannot_set_the_users_own_keys(string project, string key)
    {
        var loaded = Load("monitoring: { alertThreshold: 0.5 }\n", project);
        Assert.Equal(16, loaded.Config.Monitoring.MaxTranscriptMiB);
        Assert.Empty(loaded.Config.Pricing);
        Assert.Equal(0.5, loaded.Config.Monitoring.AlertThreshold);
        Assert.Null(loaded.Config.Worktrees.Root);
        var warning = Assert.Single(loaded.Warnings);
        Assert.Contains($"'{key}' is yours to set", warning);
        Assert.StartsWith(loaded.ProjectFile!, warning);
    }

    [Fact]
    public void The_users_prices_stay_and_say_the_project_tried()
    {
        var loaded = Load("pricing:\n  my-model: { input: 3, output: 15 }\n", "pricing:\n  my-model: { input: 0, output: 0 }\n");
        Assert.Equal(3m, loaded.Config.Pricing["my-model"].Input);
        var entry = Entry(loaded, "pricing.my-model.input");
        Assert.Equal(ConfigScope.User, entry.Scope);
        Assert.Contains("only your config may set it", entry.Reason);
    }

    [Fact]
    public void Other_project_keys_still_override_and_every_entry_has_a_reason()
    {
        var loaded = Load("defaultProvider: codex\n", "defaultProvider: gemini-cli\nworktrees: { copy: [\".env.local\"] }\n");
        Assert.Equal("gemini-cli", loaded.Config.DefaultProvider);
        Assert.Equal([".env.local"], loaded.Config.Worktrees.Copy);
        Assert.Empty(loaded.Warnings);
        Assert.Contains("project", Entry(loaded, "defaultProvider").Reason);
        Assert.All(loaded.Entries(), e => Assert.NotEmpty(e.Reason));
    }

    [Theory]
    [InlineData("pricing.gpt-5.input")]
    [InlineData("worktrees.root")]
    [InlineData("monitoring.alertThreshold")]
    public void Writing_a_users_own_key_into_a_project_file_is_refused(string key)
    {
        var file = _temp.Combine("repo", ".climux", "config.yaml");
        var e = Assert.Throws<ConfigException>(() => ConfigFileEditor.Set(file, key, key == "worktrees.root" ? "/x" : 0.5, ConfigScope.Project));
        Assert.Contains("yours to set", e.Message);
        Assert.False(File.Exists(file));
    }
}
