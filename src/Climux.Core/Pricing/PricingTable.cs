using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Climux.Core.Agents;
using Climux.Core.Config;

namespace Climux.Core.Pricing;

/// <summary>
/// Prices per model: the built-in list below, overridden (or extended) by <c>pricing:</c> in
/// config. A model name matches an entry exactly, or as that entry plus a date or preview
/// suffix ("claude-sonnet-4-5-20250929" is "claude-sonnet-4-5"); "gpt-5.5" is not "gpt-5".
/// </summary>
public sealed partial class PricingTable
{
    // USD per 1M tokens: input, output, cache read, cache write. Anthropic's cache write is the
    // 5-minute rate (1.25 x input); OpenAI and Google bill no cache write.
    private static readonly FrozenDictionary<string, ModelPrice> BuiltIn = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-opus-4-8"] = new(5m, 25m, 0.50m, 6.25m),
        ["claude-opus-4-7"] = new(5m, 25m, 0.50m, 6.25m),
        ["claude-opus-4-6"] = new(5m, 25m, 0.50m, 6.25m),
        ["claude-opus-4-5"] = new(5m, 25m, 0.50m, 6.25m),
        ["claude-opus-4-1"] = new(15m, 75m, 1.50m, 18.75m),
        ["claude-opus-4"] = new(15m, 75m, 1.50m, 18.75m),
        ["claude-sonnet-4-6"] = new(3m, 15m, 0.30m, 3.75m),
        ["claude-sonnet-4-5"] = new(3m, 15m, 0.30m, 3.75m),
        ["claude-sonnet-4"] = new(3m, 15m, 0.30m, 3.75m),
        ["claude-3-7-sonnet"] = new(3m, 15m, 0.30m, 3.75m),
        ["claude-haiku-4-5"] = new(1m, 5m, 0.10m, 1.25m),
        ["claude-3-5-haiku"] = new(0.80m, 4m, 0.08m, 1m),

        ["gpt-5.2"] = new(1.75m, 14m, 0.175m, 0m),
        ["gpt-5.2-codex"] = new(1.75m, 14m, 0.175m, 0m),
        ["gpt-5.1"] = new(1.25m, 10m, 0.125m, 0m),
        ["gpt-5.1-codex"] = new(1.25m, 10m, 0.125m, 0m),
        ["gpt-5.1-codex-max"] = new(1.25m, 10m, 0.125m, 0m),
        ["gpt-5.1-codex-mini"] = new(0.25m, 2m, 0.025m, 0m),
        ["gpt-5"] = new(1.25m, 10m, 0.125m, 0m),
        ["gpt-5-codex"] = new(1.25m, 10m, 0.125m, 0m),
        ["gpt-5-mini"] = new(0.25m, 2m, 0.025m, 0m),
        ["gpt-5-nano"] = new(0.05m, 0.40m, 0.005m, 0m),
        ["gpt-4.1"] = new(2m, 8m, 0.50m, 0m),
        ["gpt-4.1-mini"] = new(0.40m, 1.60m, 0.10m, 0m),
        ["o3"] = new(2m, 8m, 0.50m, 0m),
        ["o4-mini"] = new(1.10m, 4.40m, 0.275m, 0m),
        ["codex-mini-latest"] = new(1.50m, 6m, 0.375m, 0m),

        ["gemini-3-pro"] = new(2m, 12m, 0.20m, 0m),
        ["gemini-3-flash"] = new(0.50m, 3m, 0.05m, 0m),
        ["gemini-2.5-pro"] = new(1.25m, 10m, 0.125m, 0m),
        ["gemini-2.5-flash"] = new(0.30m, 2.50m, 0.03m, 0m),
        // Qwen Code's default models, at Alibaba Cloud's list price for the first context tier.
        ["qwen3-coder-plus"] = new(1m, 5m, 0.10m, 0m),
        ["qwen3-coder-flash"] = new(0.30m, 1.50m, 0.03m, 0m),
        ["gemini-2.5-flash-lite"] = new(0.10m, 0.40m, 0.01m, 0m),
        ["gemini-2.0-flash"] = new(0.10m, 0.40m, 0.025m, 0m),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly Dictionary<string, ModelPrice> _prices;

    public PricingTable(ClimuxConfig? config = null)
    {
        _prices = new Dictionary<string, ModelPrice>(BuiltIn, StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in config?.Pricing ?? [])
            _prices[Normalize(model)] = new ModelPrice(price.Input, price.Output, price.CacheRead, price.CacheWrite);
    }

    public static IReadOnlyDictionary<string, ModelPrice> BuiltInPrices => BuiltIn;

    /// <summary>Every price this table knows, built-in and configured, by model.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices => _prices;

    public ModelPrice? Find(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
            return null;
        var name = Normalize(model);
        if (_prices.TryGetValue(name, out var exact))
            return exact;
        // The longest entry that the name extends with a version suffix.
        return _prices
            .Where(p => name.StartsWith(p.Key + "-", StringComparison.OrdinalIgnoreCase) && VersionSuffix().IsMatch(name[(p.Key.Length + 1)..]))
            .OrderByDescending(p => p.Key.Length)
            .Select(p => p.Value)
            .FirstOrDefault();
    }

    /// <summary>The cost of usage per model, and the models it had no price for (priced 0).</summary>
    public (decimal Cost, IReadOnlyList<string> UnknownModels) Cost(IReadOnlyDictionary<string, TokenUsage> usageByModel)
    {
        var cost = 0m;
        var unknown = new List<string>();
        foreach (var (model, usage) in usageByModel)
        {
            if (usage.Total == 0)
                continue;
            if (Find(model) is { } price)
                cost += price.Cost(usage);
            else
                unknown.Add(model); // "" when the CLI did not name the model
        }
        return (cost, unknown);
    }

    /// <summary>"anthropic/claude-sonnet-4-5" and "models/gemini-2.5-pro" price as the bare model.</summary>
    public static string Normalize(string model)
    {
        var name = model.Trim();
        if (name.IndexOf('[') is var bracket and > 0)
            name = name[..bracket];
        if (name.LastIndexOf('/') is var slash and >= 0)
            name = name[(slash + 1)..];
        return name;
    }

    // Dates (20250929, 2025-09-29), "latest", "preview…", "exp…", "v1…", "001".
    [GeneratedRegex(@"^(\d{8}|\d{4}-\d{2}-\d{2}|\d{3}|latest|preview.*|exp.*|v\d.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex VersionSuffix();
}
