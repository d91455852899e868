using Climux.Core.Config;

namespace Climux.Core.Tests.Config;

public sealed class ConfigKeysTests
{
    [Theory]
    [InlineData("concurrency.maxActiveSessions", new[] { "concurrency", "maxActiveSessions" }, typeof(int))]
    [InlineData("providers.codex.model", new[] { "providers", "codex", "model" }, typeof(string))]
    [InlineData("providers.codex", new[] { "providers", "codex" }, typeof(ProviderConfig))]
    [InlineData("providers.codex.env.OPENAI_API_KEY", new[] { "providers", "codex", "env", "OPENAI_API_KEY" }, typeof(string))]
    [InlineData("pricing.gpt-5.1.input", new[] { "pricing", "gpt-5.1", "input" }, typeof(decimal))]
    [InlineData("pricing.claude-sonnet-4.5", new[] { "pricing", "claude-sonnet-4.5" }, typeof(ModelPriceConfig))]
    [InlineData("worktrees.copy", new[] { "worktrees", "copy" }, typeof(List<string>))]
    public void Resolve_splits_keys_using_the_model(string key, string[] segments, Type type)
    {
        var resolved = ConfigKeys.Resolve(key);
        Assert.Equal(segments, resolved.Segments);
        Assert.Equal(type, resolved.ValueType);
    }

    [Theory]
    [InlineData("concurrency.maxActive", "did you mean 'maxActiveSessions'")]
    [InlineData("nope", "known keys here")]
    [InlineData("defaultProvider.x", "has no key 'x'")]
    [InlineData("", "empty")]
    public void Resolve_refuses_keys_that_do_not_exist(string key, string problem) =>
        Assert.Contains(problem, Assert.Throws<ConfigException>(() => ConfigKeys.Resolve(key)).Message);

    [Fact]
    public void Settable_keys_fill_dictionary_levels_from_the_names_given()
    {
        var keys = ConfigKeys.Settable(d => d == "providers" ? ["codex"] : []).ToList();
        Assert.Contains("concurrency.maxActiveSessions", keys);
        Assert.Contains("providers.codex.model", keys);
        Assert.Contains("worktrees.copy", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("pricing.", StringComparison.Ordinal));
    }
}
