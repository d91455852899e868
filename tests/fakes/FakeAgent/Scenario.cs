using System.Text.RegularExpressions;

namespace Climux.FakeAgent;

/// <summary>The <c>[[marker]]</c>s in a prompt, which turn a plain reply into a test scenario.</summary>
internal sealed partial class Scenario
{
    public const string DefaultFileName = "mock_output.txt";

    /// <summary>The file a tool call writes (relative to the working folder); null for no tool call.</summary>
    public string? WriteFile { get; private set; }
    public bool Error { get; private set; }
    public int? Exit { get; private set; }
    public int SleepMs { get; private set; }
    public int SlowMs { get; private set; }
    public bool Hang { get; private set; }
    public bool HangTree { get; private set; }
    public bool StrayChild { get; private set; }
    public bool OrphanChild { get; private set; }
    public bool HostileNumbers { get; private set; }
    public bool Escapes { get; private set; }
    public bool Garbage { get; private set; }
    public int FloodMegabytes { get; private set; }
    public int Spend { get; private set; }
    public bool Stderr { get; private set; }
    /// <summary>The flavors whose model API answers 429 (rate limit) in this run; the others answer as usual.</summary>
    public HashSet<string> RateLimited { get; } = new(StringComparer.Ordinal);

    public static Scenario Parse(string prompt)
    {
        var s = new Scenario();
        foreach (Match m in MarkerPattern().Matches(prompt))
        {
            var value = m.Groups[2].Success ? m.Groups[2].Value : null;
            switch (m.Groups[1].Value)
            {
                case "write-file": s.WriteFile = string.IsNullOrWhiteSpace(value) ? DefaultFileName : value; break;
                case "error": s.Error = true; break;
                case "exit": s.Exit = Number(m, value); break;
                case "sleep": s.SleepMs = Number(m, value); break;
                case "slow": s.SlowMs = Number(m, value); break;
                case "hang": s.Hang = true; break;
                case "hang-tree": s.HangTree = true; break;
                case "stray-child": s.StrayChild = true; break;
                case "orphan-child": s.OrphanChild = true; break;
                case "hostile-numbers": s.HostileNumbers = true; break;
                case "escapes": s.Escapes = true; break;
                case "garbage": s.Garbage = true; break;
                case "flood": s.FloodMegabytes = Number(m, value); break;
                case "spend": s.Spend = Number(m, value); break;
                case "stderr": s.Stderr = true; break;
                case "rate-limit":
                    s.RateLimited.UnionWith((value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
            }
        }
        return s;
    }

    private static int Number(Match marker, string? value) =>
        int.TryParse(value, out var n) && n >= 0 ? n : throw new UsageException($"fake-agent: marker {marker.Value} needs a number, like [[name:100]]", 2);

    [GeneratedRegex(@"\[\[(write-file|error|exit|sleep|slow|hang-tree|hang|stray-child|orphan-child|hostile-numbers|escapes|garbage|flood|spend|stderr|rate-limit)(?::([^\]]*))?\]\]")]
    private static partial Regex MarkerPattern();
}
