using System.Text.Json;
using System.Text.Json.Serialization;

namespace Climux.Bench;

/// <summary>
/// One benchmark's figures, as out/bench/results.json holds them: the median (and fastest) of its
/// runs, and what it is compared to: a baseline measured in the same run, or the goal alone.
/// </summary>
public sealed record BenchResult(
    string Name,
    string ComparedTo,
    double MedianMs,
    double MinMs,
    int Runs,
    double? BaselineMedianMs = null,
    string? Goal = null,
    string? Detail = null)
{
    /// <summary>The median over the baseline's median; null without a baseline.</summary>
    public double? Ratio => BaselineMedianMs is > 0 ? Math.Round(MedianMs / BaselineMedianMs.Value, 2) : null;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Write(string file, IReadOnlyList<BenchResult> results)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        File.WriteAllText(file, JsonSerializer.Serialize(results, Json));
    }
}
