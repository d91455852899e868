using System.Globalization;
using Climux.Core.Config;
using Climux.Core.Sessions;
using Climux.Core.Store;

namespace Climux.Core.Quotas;

/// <summary>Running and queued sessions of one workspace.</summary>
public sealed class ClimuxWorkspaceLoad
{
    /// <summary>The repository; "(none)" for runs outside git.</summary>
    public required string Workspace { get; init; }
    public int Running { get; init; }
    public int Queued { get; init; }
    public int Limit { get; init; }

    public override string ToString() => $"{Workspace}: {Running} running, {Queued} queued (limit {Limit})";
}

/// <summary>The machine's Climux load and spend right now, across every process.</summary>
public sealed class ClimuxStatus
{
    public int ActiveSessions { get; init; }
    public int QueuedSessions { get; init; }
    public int MaxActiveSessions { get; init; }
    public int MaxSessionsPerWorkspace { get; init; }
    public IReadOnlyList<string> ActiveSessionIds { get; init; } = [];
    public IReadOnlyList<string> QueuedSessionIds { get; init; } = [];
    public IReadOnlyList<ClimuxWorkspaceLoad> Workspaces { get; init; } = [];
    /// <summary>USD spent by sessions queued since local midnight.</summary>
    public decimal CostToday { get; init; }
    /// <summary>USD per local day; null when no budget is set.</summary>
    public decimal? DailyBudget { get; init; }
    /// <summary>CostToday / DailyBudget; null without a budget.</summary>
    public double? BudgetUsed { get; init; }
    public double AlertThreshold { get; init; }

    public override string ToString()
    {
        var cost = CostToday.ToString("0.00##", CultureInfo.InvariantCulture);
        var budget = DailyBudget is { } b ? $" of ${b.ToString("0.00", CultureInfo.InvariantCulture)} ({BudgetUsed:P0})" : "";
        return $"{ActiveSessions}/{MaxActiveSessions} running, {QueuedSessions} queued, ${cost} today{budget}";
    }

    public static ClimuxStatus Read(IClimuxStore store, ClimuxConfig config)
    {
        var active = store.ActiveLoad();
        var budget = Budget.Today(store, config.Monitoring);
        var running = active.Where(s => s.Status == SessionStatus.Running).ToList();
        var queued = active.Where(s => s.Status == SessionStatus.Queued).ToList();
        return new ClimuxStatus
        {
            ActiveSessions = running.Count,
            QueuedSessions = queued.Count,
            MaxActiveSessions = config.Concurrency.MaxActiveSessions,
            MaxSessionsPerWorkspace = config.Concurrency.MaxSessionsPerWorkspace,
            ActiveSessionIds = running.Select(s => s.Id).ToList(),
            QueuedSessionIds = queued.Select(s => s.Id).ToList(),
            Workspaces = active.GroupBy(s => s.Workspace ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new ClimuxWorkspaceLoad
            {
                Workspace = g.Key,
                Running = g.Count(s => s.Status == SessionStatus.Running),
                Queued = g.Count(s => s.Status == SessionStatus.Queued),
                Limit = config.Concurrency.MaxSessionsPerWorkspace,
            }).ToList(),
            CostToday = budget.SpentToday,
            DailyBudget = budget.HasBudget ? budget.DailyBudget : null,
            BudgetUsed = budget.FractionUsed,
            AlertThreshold = budget.AlertThreshold,
        };
    }
}
