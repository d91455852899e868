using System.Diagnostics;

namespace Climux.Bench;

internal static class Timing
{
    /// <summary>Runs <paramref name="action"/> <paramref name="runs"/> times; the median and the fastest, in milliseconds.</summary>
    public static (double Median, double Min) Measure(int runs, Action<int> action)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action(i);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (Math.Round(times[runs / 2], 1), Math.Round(times[0], 1));
    }
}
