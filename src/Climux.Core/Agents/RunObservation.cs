using System.Globalization;

namespace Climux.Core.Agents;

/// <summary>What a parser has learned about a run so far, from the agent's own output.</summary>
/// <remarks>
/// Every token count and cost a parser reads comes through here, and the numbers are the agent's
/// to choose: a value outside 0..<see cref="MaxTokens"/> tokens or 0..<see cref="MaxCostUsd"/> USD,
/// or one that would take the run's totals past those limits, is refused (left out, with a
/// warning for the transcript), so the sums never overflow and a cost never offsets the budget.
/// </remarks>
public sealed class RunObservation
{
    /// <summary>Most tokens of one kind in one run (and in any one report of it).</summary>
    public const long MaxTokens = 1_000_000_000_000;

    /// <summary>Most USD one run can report.</summary>
    public const decimal MaxCostUsd = 1_000_000m;

    public const int MaxTurns = 1_000_000;

    /// <summary>The <see cref="TranscriptEntry.Data"/> of the warning a refused number leaves in the transcript.</summary>
    public const string RefusedData = "{\"refused\":true}";

    private readonly Dictionary<string, TokenUsage> _usageByModel = new(StringComparer.Ordinal);
    private readonly List<string> _refusals = [];
    private decimal? _reportedCostUsd;
    private int _turns;

    public string? NativeSessionId { get; set; }

    /// <summary>The main model, as the CLI names it.</summary>
    public string? Model { get; set; }

    /// <summary>Best-known token totals per model; a CLI's final summary replaces the running sums.</summary>
    public IReadOnlyDictionary<string, TokenUsage> UsageByModel => _usageByModel;

    /// <summary>Total cost in USD as the CLI reported it; null when it reports none. Set through <see cref="SetReportedCost"/> and <see cref="AddReportedCost"/>.</summary>
    public decimal? ReportedCostUsd => _reportedCostUsd;

    public int Turns
    {
        get => _turns;
        set => _turns = Math.Clamp(value, 0, MaxTurns);
    }

    /// <summary>The agent's final text.</summary>
    public string? ResultText { get; set; }

    /// <summary>True when the CLI's own result says the run failed (max turns, budget, API error).</summary>
    public bool ResultIsError { get; set; }

    public string? ErrorText { get; set; }

    /// <summary>The CLI said its model API answered 429 (rate limit or quota) and it gave up.</summary>
    public bool RateLimited { get; set; }

    /// <summary>How many times the CLI has announced retrying after a 429 so far (it may go on retrying for minutes).</summary>
    public int RateLimitRetries { get; set; }

    public TokenUsage Usage => TokenUsage.Sum(_usageByModel.Values);

    /// <summary>Key for usage whose model the output does not name.</summary>
    public const string UnknownModel = "";

    /// <summary>Adds to a model's tokens, unless a number is out of range or the run's totals would pass <see cref="MaxTokens"/>.</summary>
    public void AddUsage(string? model, TokenUsage usage)
    {
        var key = model ?? UnknownModel;
        if (Refuses(usage, "tokens"))
            return;
        var updated = _usageByModel.GetValueOrDefault(key) + usage;
        if (!FitsRun(key, updated))
        {
            Refuse($"tokens {Describe(usage)} would take the run's total past {MaxTokens:N0} of one kind");
            return;
        }
        _usageByModel[key] = updated;
    }

    /// <summary>Replaces a model's tokens (a CLI's running total), unless a number is out of range.</summary>
    public void SetUsage(string? model, TokenUsage usage)
    {
        var key = model ?? UnknownModel;
        if (Refuses(usage, "tokens"))
            return;
        if (!FitsRun(key, usage))
        {
            Refuse($"tokens {Describe(usage)} would take the run's total past {MaxTokens:N0} of one kind");
            return;
        }
        _usageByModel[key] = usage;
    }

    /// <summary>Forgets every model's tokens: a CLI's final totals are about to replace them.</summary>
    public void ClearUsage() => _usageByModel.Clear();

    /// <summary>The CLI's own total cost for the run (null: keep what is known), unless out of range.</summary>
    public void SetReportedCost(decimal? cost)
    {
        if (cost is { } value && !Refuses(value))
            _reportedCostUsd = value;
    }

    /// <summary>Adds one step's cost as the CLI reported it, unless out of range or the run's total would pass <see cref="MaxCostUsd"/>.</summary>
    public void AddReportedCost(decimal cost)
    {
        if (Refuses(cost))
            return;
        var total = (_reportedCostUsd ?? 0) + cost;
        if (total > MaxCostUsd)
        {
            Refuse($"a cost of ${Format(cost)} would take the run's reported cost past ${Format(MaxCostUsd)}");
            return;
        }
        _reportedCostUsd = total;
    }

    /// <summary>The warnings for numbers refused since the last call, for the transcript.</summary>
    public IReadOnlyList<TranscriptEntry> TakeRefusals()
    {
        if (_refusals.Count == 0)
            return [];
        var entries = _refusals.Select(r => new TranscriptEntry(Sessions.SessionEventKind.Error,
            Text: $"Climux refused numbers in the agent's output: {r}; they are not counted.", Data: RefusedData)).ToList();
        _refusals.Clear();
        return entries;
    }

    private bool Refuses(TokenUsage usage, string what)
    {
        if (InRange(usage.Input) && InRange(usage.Output) && InRange(usage.CacheRead) && InRange(usage.CacheWrite))
            return false;
        Refuse($"{what} {Describe(usage)} are outside 0 to {MaxTokens:N0}");
        return true;

        static bool InRange(long tokens) => tokens is >= 0 and <= MaxTokens;
    }

    private bool Refuses(decimal cost)
    {
        if (cost is >= 0 and <= MaxCostUsd)
            return false;
        Refuse($"a cost of ${Format(cost)} is outside $0 to ${Format(MaxCostUsd)}");
        return true;
    }

    /// <summary>Whether the run, with <paramref name="key"/>'s tokens replaced by <paramref name="usage"/>, stays within <see cref="MaxTokens"/> of each kind.</summary>
    private bool FitsRun(string key, TokenUsage usage)
    {
        // Each value is within 0..MaxTokens here, so these sums cannot overflow a decimal.
        decimal input = usage.Input, output = usage.Output, cacheRead = usage.CacheRead, cacheWrite = usage.CacheWrite;
        foreach (var (model, other) in _usageByModel)
        {
            if (model == key)
                continue;
            input += other.Input;
            output += other.Output;
            cacheRead += other.CacheRead;
            cacheWrite += other.CacheWrite;
        }
        return input <= MaxTokens && output <= MaxTokens && cacheRead <= MaxTokens && cacheWrite <= MaxTokens;
    }

    private void Refuse(string problem) => _refusals.Add(problem);

    private static string Describe(TokenUsage u) =>
        string.Create(CultureInfo.InvariantCulture, $"(input {u.Input}, output {u.Output}, cache read {u.CacheRead}, cache write {u.CacheWrite})");

    private static string Format(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
