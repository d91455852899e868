using System.Globalization;

namespace Climux.Core.Store;

/// <summary>
/// Totals of settled sessions (ended, not Queued or Running) kept per time bucket, so that
/// Get-ClimuxStats over months reads thousands of rows instead of every session:
/// <list type="bullet">
/// <item><c>stats_quarter_hours</c>: per quarter hour (UTC) and provider, for grouping by local day
/// (every zone's offset is a whole number of quarter hours).</item>
/// <item><c>stats_days</c>: per UTC day, provider and the value of one dimension (provider, model,
/// workspace, worktree); a key is <c>''</c> for none and <c>'='</c> followed by the value otherwise, so it can be
/// part of the primary key.</item>
/// </list>
/// Triggers keep them when a session settles, changes after settling, or is deleted; the query adds
/// raw rows for the partial buckets at either end of a range and for sessions not yet settled.
/// </summary>
internal static class StatsRollups
{
    public const long QuarterHour = 900_000;
    public const long Day = 86_400_000;

    public const string QuarterHoursTable = "stats_quarter_hours";
    public const string DaysTable = "stats_days";

    /// <summary>The dimensions of <c>stats_days</c>: the session columns they total by.</summary>
    public static readonly IReadOnlyList<string> Dimensions = ["provider", "model", "workspace", "worktree"];

    /// <summary>A session counted in the rollups (its figures no longer change with the clock).</summary>
    public static string Settled(string row = "") => $"{row}status NOT IN ('Queued', 'Running') AND {row}ended_at IS NOT NULL";

    /// <summary>Not settled: counted from the sessions table (the partial index <c>sessions_unsettled</c> finds them).</summary>
    public const string Unsettled = "(status IN ('Queued', 'Running') OR ended_at IS NULL)";

    /// <summary>The start of the bucket of <paramref name="ms"/> (floor, also for times before 1970).</summary>
    public static string Bucket(string ms, long width) =>
        string.Create(CultureInfo.InvariantCulture, $"({ms} - (({ms} % {width}) + {width}) % {width})");

    public static long Floor(long ms, long width) => ms - ((ms % width) + width) % width;

    public static long Ceiling(long ms, long width) => -Floor(-ms, width);

    /// <summary>
    /// What one session adds to each total, as SQL over <paramref name="row"/> (<c>NEW.</c>, <c>OLD.</c>
    /// or empty); <paramref name="ended"/> is when it ended. Shared by the triggers, the backfill and
    /// the raw part of the query, so they cannot disagree.
    /// </summary>
    public static IReadOnlyList<(string Column, string Value)> Measures(string row = "", string? ended = null)
    {
        ended ??= $"{row}ended_at";
        string Positive(string column) => $"CASE WHEN {row}{column} > 0 THEN {row}{column} ELSE 0 END";
        return
        [
            ("sessions", "1"),
            ("succeeded", $"CASE WHEN {row}status = 'Completed' THEN 1 ELSE 0 END"),
            ("failed", $"CASE WHEN {row}status IN ('Failed', 'TimedOut', 'Orphaned') THEN 1 ELSE 0 END"),
            ("stopped", $"CASE WHEN {row}status = 'Stopped' THEN 1 ELSE 0 END"),
            ("input_tokens", Positive("input_tokens")),
            ("output_tokens", Positive("output_tokens")),
            ("cache_read_tokens", Positive("cache_read_tokens")),
            ("cache_write_tokens", Positive("cache_write_tokens")),
            ("cost_usd", Positive("cost_usd")),
            ("duration_ms", $"CASE WHEN {row}started_at IS NOT NULL AND {ended} > {row}started_at THEN {ended} - {row}started_at ELSE 0 END"),
            ("ran", $"CASE WHEN {row}started_at IS NOT NULL THEN 1 ELSE 0 END"),
        ];
    }

    private static readonly string MeasureColumns = string.Join(", ", Measures().Select(m => m.Column));

    /// <summary>The key a dimension's value is stored under in <c>stats_days</c>.</summary>
    public static string Key(string value) => $"CASE WHEN {value} IS NULL THEN '' ELSE '=' || {value} END";

    /// <summary>The dimension's value back from its key.</summary>
    public const string KeyValue = "CASE WHEN key = '' THEN NULL ELSE substr(key, 2) END";

    /// <summary>The SQLite migration: tables, backfill from the sessions already stored, triggers.</summary>
    public static string SqliteMigration()
    {
        var measures = string.Join(",\n    ", Measures().Select(m => m.Column + (m.Column is "sessions" or "succeeded" or "failed" or "stopped" or "ran" ? " INTEGER NOT NULL" : " REAL NOT NULL")));
        var sql = new System.Text.StringBuilder($"""
            -- Totals of settled sessions per quarter hour and provider (by local day) and per UTC day,
            -- provider and provider, model, workspace or worktree; kept by the triggers below.
            CREATE TABLE {QuarterHoursTable} (
                bucket   INTEGER NOT NULL,
                provider TEXT NOT NULL,
                {measures},
                PRIMARY KEY (bucket, provider)
            ) WITHOUT ROWID;
            CREATE TABLE {DaysTable} (
                dimension TEXT NOT NULL,
                bucket    INTEGER NOT NULL,
                provider  TEXT NOT NULL,
                key       TEXT NOT NULL,
                {measures},
                PRIMARY KEY (dimension, bucket, provider, key)
            ) WITHOUT ROWID;
            CREATE INDEX sessions_unsettled ON sessions(queued_at) WHERE {Unsettled};

            """);

        // Backfill: the same totals over the sessions already stored.
        string Totals() => string.Join(", ", Measures().Select(m => m.Column is "sessions" ? "count(*)" : $"total({m.Value})"));
        sql.AppendLine($"""
            INSERT INTO {QuarterHoursTable} (bucket, provider, {MeasureColumns})
            SELECT {Bucket("queued_at", QuarterHour)}, provider, {Totals()}
            FROM sessions WHERE {Settled()} GROUP BY 1, 2;
            """);
        foreach (var dimension in Dimensions)
            sql.AppendLine($"""
                INSERT INTO {DaysTable} (dimension, bucket, provider, key, {MeasureColumns})
                SELECT '{dimension}', {Bucket("queued_at", Day)}, provider, {Key(dimension)}, {Totals()}
                FROM sessions WHERE {Settled()} GROUP BY 2, 3, 4;
                """);

        // Triggers: take out the old row if it was settled, put in the new one if it is.
        var statsColumns = "status, provider, model, workspace, worktree, queued_at, started_at, ended_at, "
            + "input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd";
        sql.AppendLine($"""
            CREATE TRIGGER sessions_stats_insert AFTER INSERT ON sessions WHEN {Settled("NEW.")}
            BEGIN
            {Apply("NEW.", +1)}END;
            CREATE TRIGGER sessions_stats_delete AFTER DELETE ON sessions WHEN {Settled("OLD.")}
            BEGIN
            {Apply("OLD.", -1)}END;
            CREATE TRIGGER sessions_stats_update AFTER UPDATE OF {statsColumns} ON sessions
            WHEN ({Settled("OLD.")}) OR ({Settled("NEW.")})
            BEGIN
            {Apply("OLD.", -1)}{Apply("NEW.", +1)}END;
            """);
        return sql.ToString();
    }

    /// <summary>Statements adding (sign +1) or taking out (-1) one session, when it is settled.</summary>
    private static string Apply(string row, int sign)
    {
        var values = string.Join(", ", Measures(row).Select(m => sign > 0 ? m.Value : $"-({m.Value})"));
        string Update(string table) => string.Join(", ", Measures().Select(m => $"{m.Column} = {table}.{m.Column} + excluded.{m.Column}"));
        var sql = new System.Text.StringBuilder($"""
            INSERT INTO {QuarterHoursTable} (bucket, provider, {MeasureColumns})
            SELECT {Bucket(row + "queued_at", QuarterHour)}, {row}provider, {values} WHERE {Settled(row)}
            ON CONFLICT (bucket, provider) DO UPDATE SET {Update(QuarterHoursTable)};

            """);
        foreach (var dimension in Dimensions)
            sql.Append($"""
                INSERT INTO {DaysTable} (dimension, bucket, provider, key, {MeasureColumns})
                SELECT '{dimension}', {Bucket(row + "queued_at", Day)}, {row}provider, {Key(row + dimension)}, {values} WHERE {Settled(row)}
                ON CONFLICT (dimension, bucket, provider, key) DO UPDATE SET {Update(DaysTable)};

                """);
        return sql.ToString();
    }
}
