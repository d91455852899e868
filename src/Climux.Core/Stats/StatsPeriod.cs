namespace Climux.Core.Stats;

/// <summary>The period a stats query covers, from what the user typed (shared by Get-ClimuxStats, climux stats and MCP get_stats).</summary>
public static class StatsPeriod
{
    /// <summary>
    /// [from, to): a date counts from its local midnight, a date and time from that moment (local unless
    /// UTC); a <paramref name="to"/> that is a date alone includes that whole day. Defaults: today's
    /// midnight, and now. Null when <c>to</c> does not come after <c>from</c>.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To)? Resolve(DateTime? from, DateTime? to)
    {
        var start = from is { } f ? ToLocal(f) : new DateTimeOffset(DateTime.Today);
        var end = to is { } t ? (t.TimeOfDay == TimeSpan.Zero ? ToLocal(t).AddDays(1) : ToLocal(t)) : DateTimeOffset.Now.AddMinutes(1);
        return end <= start ? null : (start, end);
    }

    private static DateTimeOffset ToLocal(DateTime value) =>
        value.Kind == DateTimeKind.Utc ? new DateTimeOffset(value) : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Local));
}
