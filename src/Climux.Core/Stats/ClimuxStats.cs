using System.Globalization;
using Climux.Core.Numbers;
using Climux.Core.Sessions;

namespace Climux.Core.Stats;

public enum StatsGrouping
{
    Provider,
    Model,
    Workspace,
    Worktree,
    /// <summary>The local day the session was queued.</summary>
    Day,
}

/// <summary>Usage and cost of a group of sessions.</summary>
public sealed class ClimuxStatsRow
{
    /// <summary>The key of sessions that have no provider, model, workspace or worktree.</summary>
    public const string None = "(none)";

    public required string By { get; init; }
    /// <summary>The provider, model, workspace, worktree or day (yyyy-MM-dd); "(none)" when unset.</summary>
    public required string Key { get; init; }
    public long Sessions { get; init; }
    public long Succeeded { get; init; }
    /// <summary>Failed, TimedOut and Orphaned.</summary>
    public long Failed { get; init; }
    public long Stopped { get; init; }
    /// <summary>Queued or Running now.</summary>
    public long Active { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long TotalTokens => Saturating.Add(InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens);
    public decimal CostUsd { get; init; }
    /// <summary>Summed running time of the sessions that ran, in seconds (a number, so ConvertTo-Json and --json print it as one).</summary>
    public double TotalDurationSeconds { get; init; }
    /// <summary>Mean running time of the sessions that ran, in seconds; null when none did.</summary>
    public double? MeanDurationSeconds { get; init; }

    public override string ToString() =>
        $"{Key}: {Sessions} sessions, {TotalTokens:N0} tokens, ${CostUsd.ToString("0.0000", CultureInfo.InvariantCulture)}";
}

/// <summary>The local days a range of time spans, as the UTC offsets in force over it.</summary>
public static class LocalDays
{
    /// <summary>
    /// The offsets (seconds east of UTC) in force from <paramref name="first"/> to <paramref name="last"/>
    /// (Unix milliseconds): each change holds until (before) its <c>Until</c>, and <c>Final</c> after the
    /// last change. Asking the zone once per row dominates a scan of a million sessions; there are
    /// at most two changes a year where daylight saving applies.
    /// </summary>
    public static (IReadOnlyList<(long Until, long Offset)> Changes, long Final) Offsets(TimeZoneInfo zone, long first, long last)
    {
        long Offset(long ms) => (long)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(ms)).TotalSeconds;

        // Walk the range a day at a time; where the offset changes, narrow the change to the millisecond.
        var changes = new List<(long Until, long Offset)>();
        const long day = 86_400_000;
        var current = Offset(first);
        for (var at = first; at < last; at += day)
        {
            var next = Math.Min(at + day, last);
            if (Offset(next) == current)
                continue;
            var (low, high) = (at, next);
            while (high - low > 1)
            {
                var middle = low + (high - low) / 2;
                (low, high) = Offset(middle) == current ? (middle, high) : (low, middle);
            }
            changes.Add((high, current));
            current = Offset(high);
        }
        return (changes, current);
    }
}
