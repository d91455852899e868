using System.Text.Json;
using Climux.Core.Agents;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.Agents;

/// <summary>The recorded stdout of the real CLIs, copied next to the test assembly.</summary>
internal static class Recordings
{
    public static string[] Lines(string cli, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "recordings", cli, name + ".out");
        Assert.True(File.Exists(path), $"recording not found: {path}");
        return File.ReadAllLines(path);
    }
}

/// <summary>A parser fed line by line, with every entry it produced, in order.</summary>
internal sealed class ParserRun
{
    private readonly List<TranscriptEntry> _entries = [];

    public ParserRun(AgentProvider provider, AgentInvocation invocation) => Parser = provider.CreateParser(invocation);

    public AgentOutputParser Parser { get; }

    public RunObservation Observation => Parser.Observation;

    public IReadOnlyList<TranscriptEntry> Entries => _entries;

    public IReadOnlyList<SessionEventKind> Kinds => [.. _entries.Select(e => e.Kind)];

    public static AgentInvocation Invocation(string? model = null) => new() { Prompt = "p", WorkingDirectory = "/work/tree", Model = model };

    public static ParserRun Of(AgentProvider provider, string? model = null) => new(provider, Invocation(model));

    public static ParserRun Recording(AgentProvider provider, string cli, string name, string? model = null) =>
        Of(provider, model).Feed(Recordings.Lines(cli, name)).Complete();

    public ParserRun Feed(params IEnumerable<string> lines)
    {
        foreach (var line in lines)
            _entries.AddRange(Parser.ReadLine(line));
        return this;
    }

    public IReadOnlyList<TranscriptEntry> Read(string line)
    {
        var entries = Parser.ReadLine(line);
        _entries.AddRange(entries);
        return entries;
    }

    public ParserRun Complete()
    {
        _entries.AddRange(Parser.Complete());
        return this;
    }
}

/// <summary>Everything a <see cref="RunObservation"/> holds, comparable by value.</summary>
internal sealed record ObservationState(
    string? NativeSessionId, string? Model, int Turns, string? ResultText, bool ResultIsError, string? ErrorText,
    decimal? ReportedCostUsd, string Usage)
{
    public static ObservationState Of(RunObservation o) => new(o.NativeSessionId, o.Model, o.Turns, o.ResultText, o.ResultIsError, o.ErrorText,
        o.ReportedCostUsd, string.Join("; ", o.UsageByModel.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
}

internal static class JsonData
{
    public static JsonElement Parse(string? json)
    {
        Assert.NotNull(json);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
