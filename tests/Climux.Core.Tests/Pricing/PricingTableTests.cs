using Climux.Core.Agents;
using Climux.Core.Config;
using Climux.Core.Pricing;

namespace Climux.Core.Tests.Pricing;

public sealed class PricingTableTests
{
    private static readonly ModelPrice Opus48 = new(5m, 25m, 0.50m, 6.25m);
    private static readonly ModelPrice Sonnet45 = new(3m, 15m, 0.30m, 3.75m);

    private static ClimuxConfig ConfigWith(params (string Model, ModelPriceConfig Price)[] prices)
    {
        var config = new ClimuxConfig();
        foreach (var (model, price) in prices)
            config.Pricing[model] = price;
        return config;
    }

    [Theory]
    [InlineData("claude-opus-4-8", "claude-opus-4-8")]
    [InlineData("claude-sonnet-4-5", "claude-sonnet-4-5")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5")]
    [InlineData("claude-opus-4-8[1m]", "claude-opus-4-8")]
    [InlineData("  claude-opus-4-8[1m]  ", "claude-opus-4-8")]
    [InlineData("CLAUDE-SONNET-4-5", "claude-sonnet-4-5")]
    [InlineData("claude-3-7-sonnet-latest", "claude-3-7-sonnet")]
    [InlineData("claude-3-5-haiku-20241022", "claude-3-5-haiku")]
    [InlineData("claude-opus-4-1-20250805", "claude-opus-4-1")]
    [InlineData("models/gemini-2.5-pro", "gemini-2.5-pro")]
    [InlineData("gemini-2.5-flash-preview-05-20", "gemini-2.5-flash")]
    [InlineData("gemini-2.5-flash-lite-preview-06-17", "gemini-2.5-flash-lite")]
    [InlineData("gemini-2.5-pro-exp-03-25", "gemini-2.5-pro")]
    [InlineData("gemini-2.0-flash-001", "gemini-2.0-flash")]
    [InlineData("gpt-5-2025-08-07", "gpt-5")]
    [InlineData("gpt-5-mini-2025-08-07", "gpt-5-mini")]
    [InlineData("openai/gpt-5.1-codex", "gpt-5.1-codex")]
    [InlineData("o3-2025-04-16", "o3")]
    [InlineData("openrouter/anthropic/claude-haiku-4-5", "claude-haiku-4-5")]
    public void Names_match_an_entry_exactly_or_with_a_version_suffix(string model, string entry) =>
        Assert.Equal(PricingTable.BuiltInPrices[entry], new PricingTable().Find(model));

    [Theory]
    [InlineData("gpt-5.5")]
    [InlineData("gpt-5.4")]
    [InlineData("gpt-5-turbo")]
    [InlineData("o3-mini")]
    [InlineData("claude-opus-4-9")]
    [InlineData("claude-sonnet-4-5-fast")]
    [InlineData("gemini-3.8-flash")]
    [InlineData("mock-model-x")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Other_names_have_no_price(string? model) => Assert.Null(new PricingTable().Find(model));

    [Fact]
    public void Longest_matching_entry_wins()
    {
        var table = new PricingTable();

        Assert.Equal(new ModelPrice(0.25m, 2m, 0.025m, 0m), table.Find("gpt-5.1-codex-mini"));
        Assert.Equal(new ModelPrice(0.05m, 0.40m, 0.005m, 0m), table.Find("gpt-5-nano-2025-08-07"));
        Assert.Equal(new ModelPrice(0.10m, 0.40m, 0.01m, 0m), table.Find("gemini-2.5-flash-lite-001"));
    }

    [Fact]
    public void Built_in_prices_are_the_published_rates()
    {
        var table = new PricingTable();

        Assert.Equal(Opus48, table.Find("claude-opus-4-8"));
        Assert.Equal(Sonnet45, table.Find("claude-sonnet-4-5"));
        Assert.Equal(new ModelPrice(15m, 75m, 1.50m, 18.75m), table.Find("claude-opus-4-1"));
        Assert.Equal(new ModelPrice(1m, 5m, 0.10m, 1.25m), table.Find("claude-haiku-4-5"));
        Assert.Equal(new ModelPrice(1.25m, 10m, 0.125m, 0m), table.Find("gpt-5"));
        Assert.Equal(new ModelPrice(1.25m, 10m, 0.125m, 0m), table.Find("gemini-2.5-pro"));
    }

    [Fact]
    public void Configured_price_extends_the_table()
    {
        var table = new PricingTable(ConfigWith(("my-model", new ModelPriceConfig { Input = 1m, Output = 2m, CacheRead = 0.1m, CacheWrite = 0.5m })));
        var price = new ModelPrice(1m, 2m, 0.1m, 0.5m);

        Assert.Equal(price, table.Find("my-model"));
        Assert.Equal(price, table.Find("my-model-20260101"));
        Assert.Equal(price, table.Find("local/my-model"));
        Assert.Null(table.Find("my-model-large"));
        Assert.Equal(price, table.Prices["my-model"]);
        Assert.False(PricingTable.BuiltInPrices.ContainsKey("my-model"));
        Assert.Null(new PricingTable().Find("my-model"));
    }

    [Fact]
    public void Configured_price_overrides_a_built_in_one_for_its_dated_names_too()
    {
        var table = new PricingTable(ConfigWith(("claude-sonnet-4-5", new ModelPriceConfig { Input = 2m, Output = 10m })));
        var price = new ModelPrice(2m, 10m, 0m, 0m);

        Assert.Equal(price, table.Find("claude-sonnet-4-5"));
        Assert.Equal(price, table.Find("claude-sonnet-4-5-20250929"));
        Assert.Equal(Sonnet45, PricingTable.BuiltInPrices["claude-sonnet-4-5"]);
        Assert.Equal(Sonnet45, new PricingTable().Find("claude-sonnet-4-5"));
    }

    [Fact]
    public void Configured_names_are_normalized_like_model_names()
    {
        var table = new PricingTable(ConfigWith(("openrouter/vendor-model[200k]", new ModelPriceConfig { Input = 7m })));

        Assert.Equal(new ModelPrice(7m, 0m, 0m, 0m), table.Find("vendor-model"));
        Assert.True(table.Prices.ContainsKey("vendor-model"));
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5")]
    [InlineData("models/gemini-2.5-pro", "gemini-2.5-pro")]
    [InlineData("claude-opus-4-8[1m]", "claude-opus-4-8")]
    [InlineData(" a/b/c-model[x] ", "c-model")]
    [InlineData("gpt-5", "gpt-5")]
    public void Normalize_strips_provider_prefix_and_context_suffix(string model, string normalized) =>
        Assert.Equal(normalized, PricingTable.Normalize(model));

    [Fact]
    public void Model_price_is_per_million_tokens_of_each_kind()
    {
        Assert.Equal(0.11909375m, Opus48.Cost(new TokenUsage(20, 21, 0, 18955)));
        Assert.Equal(0.1303075m, Opus48.Cost(new TokenUsage(40, 84, 19090, 18954)));
        Assert.Equal(5m + 25m + 0.5m + 6.25m, Opus48.Cost(new TokenUsage(1_000_000, 1_000_000, 1_000_000, 1_000_000)));
        Assert.Equal(0m, Opus48.Cost(TokenUsage.Zero));
    }

    [Fact]
    public void OpenCode_sonnet_usage_costs_what_the_cli_reported()
    {
        var usage = new Dictionary<string, TokenUsage> { ["claude-sonnet-4-5"] = new(Input: 20, Output: 22, CacheRead: 0, CacheWrite: 7597) };

        var (cost, unknown) = new PricingTable().Cost(usage);

        Assert.Equal(0.02887875m, cost);
        Assert.Empty(unknown);
    }

    [Fact]
    public void Cost_sums_models_and_lists_the_unknown_ones()
    {
        var usage = new Dictionary<string, TokenUsage>
        {
            ["claude-opus-4-8[1m]"] = new(20, 21, 0, 18955),
            ["anthropic/claude-sonnet-4-5"] = new(20, 22, 0, 7597),
            ["mock-x"] = new(1, 1, 0, 0),
            [RunObservation.UnknownModel] = new(5, 0, 0, 0),
            ["unused-model"] = TokenUsage.Zero,
        };

        var (cost, unknown) = new PricingTable().Cost(usage);

        Assert.Equal(0.11909375m + 0.02887875m, cost);
        Assert.Equal(["mock-x", RunObservation.UnknownModel], unknown);
    }

    [Fact]
    public void Cost_of_nothing_is_zero()
    {
        var (cost, unknown) = new PricingTable().Cost(new Dictionary<string, TokenUsage>());

        Assert.Equal(0m, cost);
        Assert.Empty(unknown);
    }

    [Fact]
    public void Gemini_usage_is_priced_without_cache_writes()
    {
        var usage = new Dictionary<string, TokenUsage> { ["gemini-2.5-flash"] = new(8228, 15, 1000, 999) };

        Assert.Equal((8228 * 0.30m + 15 * 2.50m + 1000 * 0.03m) / 1_000_000m, new PricingTable().Cost(usage).Cost);
        Assert.Equal(0.0025359m, new PricingTable().Cost(usage).Cost);
    }
}
