using System.Text;
using System.Text.Json;
using Climux.Core.Sessions;

namespace Climux.Core.Agents;

/// <summary>Gemini CLI: <c>gemini --prompt=… --output-format stream-json</c>.</summary>
public sealed class GeminiCliProvider : AgentProvider
{
    public override string Name => "gemini-cli";
    public override bool PresetsSessionId => true;

    public override AgentCommandLine BuildCommand(AgentInvocation invocation, string executable)
    {
        var args = new List<string> { "--output-format", "stream-json" };
        if (invocation.ResumeSessionId is { } resume)
            args.AddRange(["--resume", resume]);
        else if (invocation.PresetSessionId is { } preset)
            args.AddRange(["--session-id", preset]);
        if (invocation.Model is { } model)
            args.AddRange(["-m", model]);
        // Headless default mode offers only read-only tools; auto_edit allows edits without asking.
        args.AddRange(["--approval-mode", invocation.Mode == RunMode.Plan ? "default" : invocation.Unrestricted ? "yolo" : "auto_edit"]);
        // Climux chose this folder for the run: do not stop at the untrusted-folder check (exit 55).
        args.Add("--skip-trust");
        args.AddRange(ExtraArgs(invocation));

        return WithPromptOption(executable, args, invocation);
    }

    public override AgentOutputParser CreateParser(AgentInvocation invocation) => new GeminiStreamParser(invocation.Model);

    public override string InteractiveResumeCommand(string nativeSessionId) => $"gemini --resume {nativeSessionId}";
}

/// <summary>
/// Gemini's stream-json: init, messages (assistant text arrives in deltas), tool_use and
/// tool_result, then result with tokens per model. No cost.
/// </summary>
internal sealed class GeminiStreamParser(string? requestedModel) : AgentOutputParser
{
    private readonly StringBuilder _assistant = new();
    private readonly Dictionary<string, string> _toolNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Gemini CLI retries a 429 for minutes, quietly on stdout; each failed attempt leaves a stack
    /// trace on stderr that ends in "status: 429".
    /// </summary>
    public override IReadOnlyList<TranscriptEntry> ReadErrorLine(string line)
    {
        if (!line.Contains("status: 429", StringComparison.Ordinal))
            return [];
        Observation.RateLimitRetries++;
        return [new TranscriptEntry(SessionEventKind.Error, Text: $"API call failed (HTTP 429); gemini-cli retries (failure {Observation.RateLimitRetries}).")];
    }

    protected override IReadOnlyList<TranscriptEntry> Read(string line)
    {
        if (ParseObject(line) is not { } e)
            return [.. Flush(), new TranscriptEntry(SessionEventKind.Output, Text: line)];
        var type = Str(e, "type");
        if (type == "message" && Str(e, "role") == "assistant")
        {
            _assistant.Append(Str(e, "content"));
            return [];
        }
        var entries = Flush();
        switch (type)
        {
            case "init":
                Observation.NativeSessionId = Str(e, "session_id");
                var model = Str(e, "model");
                Observation.Model = model is null or "auto" ? requestedModel ?? Observation.Model : model;
                entries.Add(new TranscriptEntry(SessionEventKind.Init, Text: $"gemini-cli session {Observation.NativeSessionId} ({model})",
                    Data: JsonSerializer.Serialize(new { session_id = Observation.NativeSessionId, model })));
                break;
            case "tool_use":
                var tool = Str(e, "tool_name") ?? "tool";
                if (Str(e, "tool_id") is { } id)
                    _toolNames[id] = tool;
                entries.Add(new TranscriptEntry(SessionEventKind.ToolCall, Tool: tool, Data: Json(Obj(e, "parameters"))));
                break;
            case "tool_result":
                var name = Str(e, "tool_id") is { } toolId ? _toolNames.GetValueOrDefault(toolId) : null;
                var error = Str(Obj(e, "error"), "message");
                entries.Add(new TranscriptEntry(SessionEventKind.ToolResult, Tool: name, Text: Str(e, "output") ?? error,
                    Data: JsonSerializer.Serialize(new { status = Str(e, "status") })));
                break;
            case "error":
                Observation.ErrorText = Str(e, "message") ?? Observation.ErrorText;
                entries.Add(new TranscriptEntry(SessionEventKind.Error, Text: Str(e, "message"), Data: Json(e)));
                break;
            case "result":
                entries.Add(Result(e));
                break;
            // The user's own message, repeated back.
            case "message":
                break;
            default:
                entries.AddRange(Unknown(line));
                break;
        }
        return entries;
    }

    protected override IReadOnlyList<TranscriptEntry> Finish() => Flush();

    private List<TranscriptEntry> Flush()
    {
        if (_assistant.Length == 0)
            return [];
        var text = _assistant.ToString();
        _assistant.Clear();
        Observation.ResultText = text;
        Observation.Turns++;
        return [new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: text)];
    }

    private TranscriptEntry Result(JsonElement e)
    {
        var o = Observation;
        var stats = Obj(e, "stats");
        var models = Obj(stats, "models");
        if (models.ValueKind == JsonValueKind.Object)
        {
            o.ClearUsage();
            foreach (var model in models.EnumerateObject())
            {
                var m = model.Value;
                var cached = Long(m, "cached");
                var uncached = m.TryGetProperty("input", out _) ? Long(m, "input") : Math.Max(0, Long(m, "input_tokens") - cached);
                o.AddUsage(model.Name, new TokenUsage(uncached, Long(m, "output_tokens"), cached, 0));
            }
            // "auto" routes between models: the main one is the one that did most of the work.
            if (o.Model is null && o.UsageByModel.Count > 0)
                o.Model = o.UsageByModel.MaxBy(kv => kv.Value.Total).Key;
        }
        if (Str(e, "status") is { } status && status != "success")
        {
            o.ResultIsError = true;
            o.ErrorText = Str(Obj(e, "error"), "message") ?? $"result status '{status}'";
        }
        o.Turns = Math.Max(o.Turns, 1);
        return new TranscriptEntry(SessionEventKind.Result, Text: o.ResultText, Data: Json(e));
    }
}
