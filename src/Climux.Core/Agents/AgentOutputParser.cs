using System.Text.Json;
using Climux.Core.Sessions;

namespace Climux.Core.Agents;

/// <summary>
/// Reads an agent CLI's stdout one line at a time, as it arrives, into transcript entries and
/// a running <see cref="RunObservation"/>. A line that is not what the CLI should print becomes
/// an <see cref="SessionEventKind.Output"/> entry: garbage never stops a run from being recorded.
/// </summary>
public abstract class AgentOutputParser
{
    public RunObservation Observation { get; } = new();

    public IReadOnlyList<TranscriptEntry> ReadLine(string line)
    {
        if (string.IsNullOrWhiteSpace(line) && SkipsBlankLines)
            return [];
        IReadOnlyList<TranscriptEntry> entries;
        try
        {
            entries = Read(line);
        }
        // ArgumentException: a lone surrogate that cannot be transcoded to UTF-8 for the JSON reader.
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            entries = [new TranscriptEntry(SessionEventKind.Output, Text: line)];
        }
        return WithRefusals(entries);
    }

    /// <summary>
    /// Reads a line the CLI wrote to stderr, for what only shows there (Gemini CLI's rate-limit
    /// retries); most CLIs' stderr is kept in the log only, so by default nothing is recorded.
    /// </summary>
    public virtual IReadOnlyList<TranscriptEntry> ReadErrorLine(string line) => [];

    /// <summary>Event streams ignore blank lines; plain text keeps them as part of the text.</summary>
    protected virtual bool SkipsBlankLines => true;

    /// <summary>Called once the output has ended.</summary>
    public IReadOnlyList<TranscriptEntry> Complete() => WithRefusals(Finish());

    /// <summary>What a parser has to say once the output has ended.</summary>
    protected virtual IReadOnlyList<TranscriptEntry> Finish() => [];

    protected abstract IReadOnlyList<TranscriptEntry> Read(string line);

    /// <summary>The entries, then a warning for each number the observation refused while they were read.</summary>
    private IReadOnlyList<TranscriptEntry> WithRefusals(IReadOnlyList<TranscriptEntry> entries) =>
        Observation.TakeRefusals() is { Count: > 0 } refusals ? [.. entries, .. refusals] : entries;

    /// <summary>The <see cref="TranscriptEntry.Data"/> of the warning an event the parser does not know leaves in the transcript.</summary>
    public const string UnknownOutputData = "{\"unknownOutput\":true}";

    /// <summary>
    /// An event of a type (or subtype) this parser was not written for: a newer CLI may have changed
    /// its output. It is kept as a Warning entry holding the line, which the drift conformance run fails on.
    /// </summary>
    protected static List<TranscriptEntry> Unknown(string line) =>
        [new TranscriptEntry(SessionEventKind.Warning, Text: "Output this Climux does not know: " + (line.Length > 2000 ? line[..2000] + "…" : line), Data: UnknownOutputData)];

    /// <summary>Parses a line that should be one JSON object; null when it is not.</summary>
    protected static JsonElement? ParseObject(string line)
    {
        var trimmed = line.TrimStart();
        if (!trimmed.StartsWith('{'))
            return null;
        using var document = JsonDocument.Parse(trimmed);
        return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
    }

    protected static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>
    /// A whole number; 0 when absent. One too large for a long (or with a fraction) is read as the
    /// nearest long, so the observation can refuse it rather than have it silently read as 0.
    /// </summary>
    protected static long Long(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number)
            return 0;
        if (v.TryGetInt64(out var n))
            return n;
        var d = v.GetDouble();
        return d >= long.MaxValue ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)d;
    }

    /// <summary>A number; null when absent. One out of a decimal's range is read as its largest (or smallest), for the observation to refuse.</summary>
    protected static decimal? Decimal(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number)
            return null;
        return v.TryGetDecimal(out var m) ? m : v.GetDouble() > 0 ? decimal.MaxValue : decimal.MinValue;
    }

    protected static bool Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    protected static JsonElement Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    protected static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];

    /// <summary>Text content that may be a string or an array of {type:"text", text} blocks.</summary>
    protected static string? TextOf(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString(),
        JsonValueKind.Array => string.Join("\n", content.EnumerateArray().Select(b => b.ValueKind == JsonValueKind.String ? b.GetString() : Str(b, "text")).Where(t => t is not null)),
        _ => null,
    };

    protected static string Json(JsonElement e) => e.ValueKind == JsonValueKind.Undefined ? "" : e.GetRawText();
}
