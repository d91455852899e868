using Climux.Core.Config;
using Climux.Core.Store;

namespace Climux.Core.Quotas;

/// <summary>Today's spend (local day, sessions queued since midnight) against the daily budget.</summary>
public sealed record BudgetState(decimal SpentToday, decimal DailyBudget, double AlertThreshold)
{
    public bool HasBudget => DailyBudget > 0;

    /// <summary>Spent / budget (1.0 = all of it); null without a budget.</summary>
    public double? FractionUsed => HasBudget ? (double)(SpentToday / DailyBudget) : null;

    public bool IsSpent => HasBudget && SpentToday >= DailyBudget;

    public bool PastAlertThreshold => HasBudget && SpentToday >= DailyBudget * (decimal)AlertThreshold;

    public string Describe() => HasBudget
        ? $"${SpentToday:0.00##} of today's ${DailyBudget:0.00} budget spent ({FractionUsed:P0})"
        : $"${SpentToday:0.00##} spent today (no daily budget set)";
}

public static class Budget
{
    /// <summary>Midnight of the local day that holds <paramref name="now"/>, as Unix milliseconds.</summary>
    public static long StartOfLocalDay(DateTimeOffset now)
    {
        var local = now.ToLocalTime();
        return new DateTimeOffset(local.Date, local.Offset).ToUnixTimeMilliseconds();
    }

    public static BudgetState Today(IClimuxStore store, MonitoringConfig monitoring, DateTimeOffset? now = null) =>
        new(store.SpentSince(DateTimeOffset.FromUnixTimeMilliseconds(StartOfLocalDay(now ?? DateTimeOffset.UtcNow))),
            monitoring.MaxDailyBudget, monitoring.AlertThreshold);
}

/// <summary>The daily budget is spent; a run needs -Force to start.</summary>
public sealed class BudgetExceededException(BudgetState state)
    : Exception($"The daily budget is spent: {state.Describe()}. Start the run anyway with -Force, or raise monitoring.maxDailyBudget.")
{
    public BudgetState State { get; } = state;
}
