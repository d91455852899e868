using System.Globalization;

namespace Climux.Cli.Rendering;

/// <summary>Numbers, money, times and durations as the tables show them (invariant culture).</summary>
public static class Format
{
    public static string Usd(decimal value) => "$" + value.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan? duration) => duration is not { } d ? "" :
        d.TotalHours >= 1 ? $"{(int)d.TotalHours}h{d.Minutes:00}m" : d.TotalMinutes >= 1 ? $"{d.Minutes}m{d.Seconds:00}s" : $"{d.TotalSeconds:0.0}s";

    public static string Seconds(double? seconds) => seconds is { } s ? Duration(TimeSpan.FromSeconds(s)) : "";

    /// <summary>A local time, to the second.</summary>
    public static string Time(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";
}
