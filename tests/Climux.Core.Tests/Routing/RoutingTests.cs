using Climux.Core.Config;
using Climux.Core.Routing;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Routing;

/// <summary>routing: rules choose the provider of a run that names none, before defaultProvider.</summary>
public sealed class RoutingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private LoadedConfig Load(string user, string? project = null)
    {
        _temp.Write("home/config.yaml", user);
        if (project is not null)
            _temp.Write("repo/.climux/config.yaml", project);
        return ConfigLoader.Load(_temp.Home(), _temp.Combine("repo"));
    }

    private const string UserRules = """
        defaultProvider: opencode
        routing:
          - { pattern: 'frontend|react', provider: gemini-cli }
          - { pattern: '\bdocs?\b', provider: codex }
        """;

    [Theory]
    [InlineData("Fix the REACT component", "gemini-cli", RouteSource.Rule, 0)]
    [InlineData("Update the docs for the API", "codex", RouteSource.Rule, 1)]
    [InlineData("Write the documentation", "opencode", RouteSource.DefaultProvider, null)]
    public void The_first_matching_rule_wins_case_insensitively_then_defaultProvider(string prompt, string provider, RouteSource source, int? rule)
    {
        var route = Routes.Resolve(Load(UserRules).Config, prompt);
        Assert.Equal(provider, route.Provider);
        Assert.Equal(source, route.Source);
        Assert.Equal(rule, route.Rule);
        Assert.False(string.IsNullOrWhiteSpace(route.Reason));
        if (rule is { } index)
            Assert.Contains($"rule {index + 1}", route.Reason);
        else
            Assert.Contains("defaultProvider", route.Reason);
    }

    [Fact]
    public void Both_rules_match_and_the_first_wins()
    {
        var route = Routes.Resolve(Load(UserRules).Config, "react docs");
        Assert.Equal(("gemini-cli", "frontend|react"), (route.Provider, route.Pattern));
    }

    [Fact]
    public void A_named_provider_or_preset_provider_beats_the_rules()
    {
        var config = Load(UserRules).Config;
        Assert.Equal(RouteSource.Explicit, Routes.Resolve(config, "react", "claude-code").Source);
        var preset = Routes.Resolve(config, "react", null, "review", "codex");
        Assert.Equal(("codex", RouteSource.Preset), (preset.Provider, preset.Source));
        Assert.Contains("review", preset.Reason);
    }

    [Fact]
    public void A_pattern_that_takes_too_long_is_skipped_with_a_reason()
    {
        var config = new ClimuxConfig { DefaultProvider = "codex", Routing = [new RouteRule { Pattern = "(a+)+$", Provider = "gemini-cli" }] };
        var route = Routes.Resolve(config, new string('a', 5000) + "!");
        Assert.Equal(("codex", RouteSource.DefaultProvider), (route.Provider, route.Source));
        Assert.Contains("took longer than", route.Reason);
    }

    [Fact]
    public void An_invalid_pattern_is_a_config_error_with_its_line()
    {
        var e = Assert.Throws<ConfigException>(() => Load("routing:\n  - { pattern: '(unclosed', provider: codex }\n"));
        Assert.Equal(2, e.Line);
        Assert.Contains("routing[0].pattern", e.Message);
        Assert.Contains("regular expression", e.Message);
    }

    [Fact]
    public void A_rule_without_a_provider_is_a_config_error()
    {
        var e = Assert.Throws<ConfigException>(() => Load("routing:\n  - { pattern: 'x' }\n"));
        Assert.Contains("pattern and a provider", e.Message);
    }

    [Fact]
    public void A_rule_must_be_a_mapping_with_known_keys()
    {
        var e = Assert.Throws<ConfigException>(() => Load("routing:\n  - { pattern: 'x', provder: codex }\n"));
        Assert.Contains("did you mean 'provider'", e.Message);
    }

    [Fact]
    public void A_project_adds_rules_ahead_of_the_users()
    {
        var loaded = Load(UserRules, "routing:\n  - { pattern: 'react', provider: claude-code }\n");
        Assert.Equal(["claude-code", "gemini-cli", "codex"], loaded.Config.Routing.Select(r => r.Provider));
        Assert.Equal("claude-code", Routes.Resolve(loaded.Config, "a react thing").Provider);
        Assert.Equal("codex", Routes.Resolve(loaded.Config, "the docs").Provider);
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void A_project_rule_naming_a_provider_the_user_does_not_know_is_ignored_with_a_warning()
    {
        var user = UserRules + "\nproviders:\n  aider: { command: /usr/bin/aider, output: text }\n";
        var loaded = Load(user, "routing:\n  - { pattern: 'x', provider: evil-agent }\n  - { pattern: 'y', provider: aider }\n");
        Assert.Equal(["aider", "gemini-cli", "codex"], loaded.Config.Routing.Select(r => r.Provider));
        var warning = Assert.Single(loaded.Warnings);
        Assert.Contains("evil-agent", warning);
    }

    [Fact]
    public void The_new_keys_bind_and_a_project_may_not_set_the_users_own()
    {
        var loaded = Load("""
            fallbackOrder: [claude-code, codex]
            fallback: { afterRetries: 3 }
            presets: { review: { provider: codex, mode: Plan, model: gpt-5, timeout: 600, maxCost: 1.5, args: ['-c', 'x=1'] } }
            workspaces: { shop: /srv/shop }
            retention: { days: 30 }
            """, "fallbackOrder: [gemini-cli]\nworkspaces: { x: /tmp }\nretention: { days: 1 }\n");
        var config = loaded.Config;
        Assert.Equal(["claude-code", "codex"], config.FallbackOrder);
        Assert.Equal(3, config.Fallback.AfterRetries);
        var review = config.Presets["REVIEW"];
        Assert.Equal(("codex", Climux.Core.Sessions.RunMode.Plan, "gpt-5", 600, 1.5m), (review.Provider, review.Mode, review.Model, review.Timeout, review.MaxCost));
        Assert.Equal(["-c", "x=1"], review.Args!);
        Assert.Equal("/srv/shop", config.Workspaces["shop"]);
        Assert.Equal(30, config.Retention.Days);
        Assert.Equal(3, loaded.Warnings.Count);
    }

    [Fact]
    public void A_project_preset_may_not_carry_arguments()
    {
        _temp.Write("home/config.yaml", "");
        var e = Assert.Throws<ConfigException>(() => Load("", "presets: { x: { args: ['--yolo'] } }\n"));
        Assert.Contains("user config", e.Message);
    }
}
