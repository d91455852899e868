using System.Globalization;
using Climux.Core.Sessions;
using Climux.Core.Store;

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
    public StatsGrouping By { get; init; }
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
    public long TotalTokens => InputTokens + OutputTokens + CacheReadTokens + CacheWriteTokens;
    public decimal CostUsd { get; init; }
    /// <summary>Summed running time of the sessions that ran.</summary>
    public TimeSpan TotalDuration { get; init; }
    /// <summary>Mean running time of the sessions that ran; null when none did.</summary>
    public TimeSpan? MeanDuration { get; init; }

    public override string ToString() =>
        $"{Key}: {Sessions} sessions, {TotalTokens:N0} tokens, ${CostUsd.ToString("0.0000", CultureInfo.InvariantCulture)}";
}

/// <summary>Aggregates sessions in the store with one indexed SQL query.</summary>
public static class StatsQuery
{
    public const string None = "(none)";

    /// <param name="from">Inclusive start (UTC).</param>
    /// <param name="to">Exclusive end (UTC).</param>
    public static IReadOnlyList<ClimuxStatsRow> Run(ClimuxStore store, StatsGrouping by, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyList<string>? providers = null)
    {
        var key = by switch
        {
            StatsGrouping.Provider => "provider",
            StatsGrouping.Model => "model",
            StatsGrouping.Workspace => "workspace",
            StatsGrouping.Worktree => "worktree",
            _ => LocalDay(store, from, to),
        };
        var providerFilter = providers is { Count: > 0 }
            ? " AND provider COLLATE NOCASE IN (" + string.Join(", ", providers.Select((_, i) => $"$p{i}")) + ")"
            : "";
        var sql = $"""
            SELECT {key} AS k, count(*),
                sum(status = 'Completed'), sum(status IN ('Failed', 'TimedOut', 'Orphaned')), sum(status = 'Stopped'),
                sum(status IN ('Queued', 'Running')),
                sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_usd),
                sum(CASE WHEN started_at IS NOT NULL THEN COALESCE(ended_at, $now) - started_at END),
                count(started_at)
            FROM sessions
            WHERE queued_at >= $from AND queued_at < $to{providerFilter}
            GROUP BY k
            ORDER BY {(by == StatsGrouping.Day ? "k" : "sum(cost_usd) DESC, k")}
            """;
        var parameters = new List<(string, object?)>
        {
            ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds()), ("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
        };
        if (providers is { Count: > 0 })
            parameters.AddRange(providers.Select((p, i) => ($"$p{i}", (object?)p)));

        return store.Read(connection =>
        {
            using var command = SessionRepository.Command(connection, null, sql, [.. parameters]);
            using var reader = command.ExecuteReader();
            var rows = new List<ClimuxStatsRow>();
            while (reader.Read())
            {
                var totalMs = reader.IsDBNull(11) ? 0 : reader.GetInt64(11);
                var ran = reader.GetInt64(12);
                rows.Add(new ClimuxStatsRow
                {
                    By = by,
                    Key = reader.IsDBNull(0) ? None : reader.GetString(0),
                    Sessions = reader.GetInt64(1),
                    Succeeded = reader.GetInt64(2),
                    Failed = reader.GetInt64(3),
                    Stopped = reader.GetInt64(4),
                    Active = reader.GetInt64(5),
                    InputTokens = reader.GetInt64(6),
                    OutputTokens = reader.GetInt64(7),
                    CacheReadTokens = reader.GetInt64(8),
                    CacheWriteTokens = reader.GetInt64(9),
                    CostUsd = decimal.Round(Convert.ToDecimal(reader.GetDouble(10), CultureInfo.InvariantCulture), 10),
                    TotalDuration = TimeSpan.FromMilliseconds(totalMs),
                    MeanDuration = ran == 0 ? null : TimeSpan.FromMilliseconds((double)totalMs / ran),
                });
            }
            return rows;
        });
    }

    /// <summary>
    /// SQL for the local day of <c>queued_at</c>. SQLite's 'localtime' asks the C library once
    /// per row, which dominates a scan of a million sessions; instead the UTC offsets in force over
    /// the range (two a year where daylight saving applies) are written into the query.
    /// </summary>
    private static string LocalDay(ClimuxStore store, DateTimeOffset from, DateTimeOffset to)
    {
        var (first, last) = store.Read(connection =>
        {
            using var command = SessionRepository.Command(connection, null,
                "SELECT min(queued_at), max(queued_at) FROM sessions WHERE queued_at >= $from AND queued_at < $to",
                ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds()));
            using var reader = command.ExecuteReader();
            reader.Read();
            return reader.IsDBNull(0) ? (0L, 0L) : (reader.GetInt64(0), reader.GetInt64(1));
        });
        var zone = TimeZoneInfo.Local;
        long Offset(long ms) => (long)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(ms)).TotalSeconds;

        // Walk the range a day at a time; where the offset changes, narrow the change to the minute.
        var segments = new List<(long Until, long Offset)>();
        const long day = 86_400_000, minute = 60_000;
        var current = Offset(first);
        for (var at = first; at < last; at += day)
        {
            var next = Math.Min(at + day, last);
            if (Offset(next) == current)
                continue;
            var (low, high) = (at, next);
            while (high - low > minute)
            {
                var middle = low + (high - low) / 2;
                (low, high) = Offset(middle) == current ? (middle, high) : (low, middle);
            }
            segments.Add((high, current));
            current = Offset(high);
        }
        var offset = segments.Count == 0
            ? current.ToString(CultureInfo.InvariantCulture)
            : "CASE " + string.Concat(segments.Select(s => $"WHEN queued_at < {s.Until} THEN {s.Offset} ")) + $"ELSE {current} END";
        return $"date(queued_at / 1000 + {offset}, 'unixepoch')";
    }
}
