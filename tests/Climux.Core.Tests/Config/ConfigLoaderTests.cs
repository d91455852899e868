using Climux.Core.Config;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Config;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private LoadedConfig Load(string? user, string? project = null)
    {
        var home = _temp.Home();
        if (user is not null)
            _temp.Write("home/config.yaml", user);
        var workspace = _temp.Combine("repo");
        if (project is not null)
            _temp.Write("repo/.climux/config.yaml", project);
        return ConfigLoader.Load(home, workspace);
    }

    private ConfigException LoadFails(string? user, string? project = null) =>
        Assert.Throws<ConfigException>(() => Load(user, project));

    [Fact]
    public void Without_files_every_value_is_the_default()
    {
        var loaded = Load(null);
        Assert.Equal("claude-code", loaded.Config.DefaultProvider);
        Assert.Equal(5, loaded.Config.Concurrency.MaxActiveSessions);
        Assert.Equal(3, loaded.Config.Concurrency.MaxSessionsPerWorkspace);
        Assert.Equal(0m, loaded.Config.Monitoring.MaxDailyBudget);
        Assert.Equal(0.8, loaded.Config.Monitoring.AlertThreshold);
        Assert.Equal([".env"], loaded.Config.Worktrees.Copy);
        Assert.All(loaded.Entries(), e => Assert.Equal(ConfigScope.Default, e.Scope));
    }

    [Fact]
    public void Every_key_of_the_design_is_read_into_the_typed_model()
    {
        var loaded = Load("""
            defaultProvider: codex
            concurrency: { maxActiveSessions: 8, maxSessionsPerWorkspace: 2 }
            monitoring:  { maxDailyBudget: 10.50, alertThreshold: 0.75 }
            providers:
              claude-code: { command: /opt/claude, model: claude-sonnet-4-5, env: { ANTHROPIC_BASE_URL: "http://127.0.0.1:9" }, args: ["--max-turns", "3"] }
              my-agent:    { command: aider, args: ["--yes", "{prompt}"], output: text, resumeArgs: ["--resume", "{sessionId}"] }
            pricing:
              gpt-5.1: { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0 }
            worktrees: { root: /srv/wt, copy: [".env", ".env.local"], enforceNaming: true }
            """);
        var c = loaded.Config;
        Assert.Equal("codex", c.DefaultProvider);
        Assert.Equal((8, 2), (c.Concurrency.MaxActiveSessions, c.Concurrency.MaxSessionsPerWorkspace));
        Assert.Equal((10.50m, 0.75), (c.Monitoring.MaxDailyBudget, c.Monitoring.AlertThreshold));
        Assert.Equal("/opt/claude", c.Providers["claude-code"].Command);
        Assert.Equal("claude-sonnet-4-5", c.Providers["claude-code"].Model);
        Assert.Equal("http://127.0.0.1:9", c.Providers["claude-code"].Env["ANTHROPIC_BASE_URL"]);
        Assert.Equal(["--max-turns", "3"], c.Providers["claude-code"].Args!);
        Assert.Equal(ProviderOutput.Text, c.Providers["my-agent"].Output);
        Assert.Equal(["--resume", "{sessionId}"], c.Providers["my-agent"].ResumeArgs!);
        Assert.Equal(1.25m, c.Pricing["gpt-5.1"].Input);
        Assert.Equal(0.125m, c.Pricing["gpt-5.1"].CacheRead);
        Assert.Equal("/srv/wt", c.Worktrees.Root);
        Assert.Equal([".env", ".env.local"], c.Worktrees.Copy);
        Assert.True(c.Worktrees.EnforceNaming);
    }

    [Fact]
    public void Project_overrides_the_user_file_key_by_key_and_each_value_knows_its_source()
    {
        var loaded = Load(
            user: """
                concurrency:
                  maxActiveSessions: 10
                  maxSessionsPerWorkspace: 4
                providers:
                  codex: { model: gpt-5.1-codex, env: { A: "1", B: "2" } }
                """,
            project: """
                concurrency:
                  maxSessionsPerWorkspace: 2
                providers:
                  codex: { model: gpt-5.1-codex-max }
                """);
        var c = loaded.Config;
        Assert.Equal(10, c.Concurrency.MaxActiveSessions);
        Assert.Equal(2, c.Concurrency.MaxSessionsPerWorkspace);
        Assert.Equal("gpt-5.1-codex-max", c.Providers["codex"].Model);
        Assert.Equal("1", c.Providers["codex"].Env["A"]);
        Assert.Equal("2", c.Providers["codex"].Env["B"]);

        var user = loaded.SourceOf("concurrency.maxActiveSessions");
        Assert.Equal(ConfigScope.User, user.Scope);
        Assert.Equal(loaded.UserFile, user.File);
        Assert.Equal(2, user.Line);
        var project = loaded.SourceOf("concurrency.maxSessionsPerWorkspace");
        Assert.Equal(ConfigScope.Project, project.Scope);
        Assert.Equal(loaded.ProjectFile, project.File);
        Assert.Equal(2, project.Line);
        Assert.Equal(ConfigScope.Default, loaded.SourceOf("defaultProvider").Scope);
    }

    [Theory]
    [InlineData("providers:\n  claude-code: { command: ./evil.sh }\n", "providers.claude-code.command")]
    [InlineData("providers:\n  codex: { args: [--dangerously-bypass-approvals-and-sandbox] }\n", "providers.codex.args")]
    [InlineData("providers:\n  mine: { planArgs: [x] }\n", "providers.mine.planArgs")]
    [InlineData("providers:\n  mine: { resumeArgs: [x] }\n", "providers.mine.resumeArgs")]
    [InlineData("providers:\n  codex:\n    env: { OPENAI_BASE_URL: http://attacker.invalid }\n", "providers.codex.env")]
    public void A_project_config_may_not_choose_what_runs(string project, string key)
    {
        var e = LoadFails(user: null, project: project);
        Assert.Equal(key, e.Key);
        Assert.Contains("user config", e.Message);
        Assert.EndsWith(Path.Combine(".climux", "config.yaml"), e.FilePath);
    }

    [Fact]
    public void Entries_list_each_value_with_its_scope_and_mask_provider_env_values()
    {
        var loaded = Load("providers:\n  codex:\n    env: { OPENAI_API_KEY: sk-secret }\n");
        var entries = loaded.Entries().ToDictionary(e => e.Key);
        Assert.Equal(ClimuxConfigEntry.Masked, entries["providers.codex.env.OPENAI_API_KEY"].Value);
        Assert.DoesNotContain(entries.Values, e => e.ValueText.Contains("sk-secret"));
        Assert.Equal(ConfigScope.User, entries["providers.codex.env.OPENAI_API_KEY"].Scope);
        Assert.Equal(3, entries["providers.codex.env.OPENAI_API_KEY"].Line);
    }

    [Fact]
    public void Invalid_yaml_names_file_line_column_and_the_key_being_read()
    {
        var e = LoadFails("""
            concurrency:
              maxActiveSessions: 3
              maxSessionsPerWorkspace: [1, 2
            monitoring:
              alertThreshold: 0.5
            """);
        Assert.EndsWith("config.yaml", e.FilePath);
        Assert.True(e.Line >= 3, $"line {e.Line}");
        Assert.True(e.Column > 0);
        Assert.Equal("concurrency.maxSessionsPerWorkspace", e.Key);
        Assert.Contains("not valid YAML", e.Message);
        Assert.Contains(e.FilePath!, e.Message);
        Assert.Contains($"line {e.Line}", e.Message);
    }

    [Fact]
    public void Bad_indentation_is_reported_with_its_position()
    {
        var e = LoadFails("concurrency:\n  maxActiveSessions: 3\n bad: 1\n");
        Assert.Equal(3, e.Line);
        Assert.NotNull(e.Key);
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        var e = LoadFails("defaultProvider: codex\ndefaultProvider: claude-code\n");
        Assert.Equal(2, e.Line);
        Assert.Contains("Duplicate key", e.Message);
    }

    [Fact]
    public void Wrong_types_name_the_key_and_what_was_expected()
    {
        var e = LoadFails("concurrency:\n  maxActiveSessions: five\n");
        Assert.Equal("concurrency.maxActiveSessions", e.Key);
        Assert.Equal((2, 22), (e.Line, e.Column));
        Assert.Contains("expected a whole number, got 'five'", e.Message);

        Assert.Contains("true or false", LoadFails("worktrees:\n  enforceNaming: maybe\n").Message);
        Assert.Contains("expected a list", LoadFails("worktrees:\n  copy: .env\n").Message);
        Assert.Contains("one of text, jsonl", LoadFails("providers:\n  x: { command: y, output: xml }\n").Message);
        Assert.Equal("providers.x.args[1]", LoadFails("providers:\n  x: { args: [a, {b: c}] }\n").Key);
        Assert.Equal("monitoring", LoadFails("monitoring: 5\n").Key);
    }

    [Fact]
    public void Out_of_range_values_are_refused()
    {
        var e = LoadFails("monitoring:\n  alertThreshold: 1.5\n");
        Assert.Equal("monitoring.alertThreshold", e.Key);
        Assert.Contains("out of range", e.Message);
        Assert.Equal("concurrency.maxActiveSessions", LoadFails("concurrency: { maxActiveSessions: 0 }").Key);
        Assert.Equal("pricing.m.input", LoadFails("pricing: { m: { input: -1 } }").Key);
    }

    [Fact]
    public void Unknown_keys_are_reported_not_ignored_with_a_suggestion()
    {
        var e = LoadFails("concurrency:\n  maxActiveSesions: 3\n");
        Assert.Equal("concurrency.maxActiveSesions", e.Key);
        Assert.Equal((2, 3), (e.Line, e.Column));
        Assert.Contains("did you mean 'maxActiveSessions'", e.Message);

        var top = LoadFails("colour: blue\n");
        Assert.Equal("colour", top.Key);
        Assert.Contains("known keys here", top.Message);

        Assert.Equal("providers.codex.modle", LoadFails("providers:\n  codex: { modle: x }\n").Key);
    }

    [Fact]
    public void Errors_in_the_project_file_name_the_project_file()
    {
        var e = LoadFails(user: "defaultProvider: codex\n", project: "concurrency: { maxActiveSessions: many }\n");
        Assert.EndsWith(Path.Combine(".climux", "config.yaml"), e.FilePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("~\n")]
    public void An_empty_file_sets_nothing(string text) =>
        Assert.Equal(5, Load(text).Config.Concurrency.MaxActiveSessions);

    [Fact]
    public void A_file_that_is_not_a_mapping_is_refused() =>
        Assert.Contains("must be a mapping", LoadFails("- a\n- b\n").Message);

    [Fact]
    public void Null_in_the_project_unsets_a_user_value()
    {
        var c = Load(user: "providers:\n  codex: { model: gpt-5 }\n", project: "providers:\n  codex: { model: ~ }\n").Config;
        Assert.Null(c.Providers["codex"].Model);
    }
}
