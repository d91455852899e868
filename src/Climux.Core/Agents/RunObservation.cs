namespace Climux.Core.Agents;

/// <summary>What a parser has learned about a run so far, from the agent's own output.</summary>
public sealed class RunObservation
{
    public string? NativeSessionId { get; set; }

    /// <summary>The main model, as the CLI names it.</summary>
    public string? Model { get; set; }

    /// <summary>Best-known token totals per model; a CLI's final summary replaces the running sums.</summary>
    public Dictionary<string, TokenUsage> UsageByModel { get; } = new(StringComparer.Ordinal);

    /// <summary>Total cost in USD as the CLI reported it; null when it reports none.</summary>
    public decimal? ReportedCostUsd { get; set; }

    public int Turns { get; set; }

    /// <summary>The agent's final text.</summary>
    public string? ResultText { get; set; }

    /// <summary>True when the CLI's own result says the run failed (max turns, budget, API error).</summary>
    public bool ResultIsError { get; set; }

    public string? ErrorText { get; set; }

    public TokenUsage Usage => TokenUsage.Sum(UsageByModel.Values);

    /// <summary>Key for usage whose model the output does not name.</summary>
    public const string UnknownModel = "";

    public void AddUsage(string? model, TokenUsage usage) =>
        UsageByModel[model ?? UnknownModel] = UsageByModel.GetValueOrDefault(model ?? UnknownModel) + usage;

    public void SetUsage(string? model, TokenUsage usage) => UsageByModel[model ?? UnknownModel] = usage;
}
