using System.Text.Json;
using Climux.Core.Sessions;

namespace Climux.Core.Agents;

/// <summary>Claude Code: <c>claude -p … --output-format stream-json --verbose</c>.</summary>
public sealed class ClaudeCodeProvider : AgentProvider
{
    public override string Name => "claude-code";
    public override bool PresetsSessionId => true;

    public override AgentCommandLine BuildCommand(AgentInvocation invocation, string executable)
    {
        var args = new List<string> { "-p" };
        if (invocation.ResumeSessionId is { } resume)
            args.AddRange(["--resume", resume]);
        else if (invocation.PresetSessionId is { } preset)
            args.AddRange(["--session-id", preset]);
        args.AddRange(["--output-format", "stream-json", "--verbose"]);
        if (invocation.Model is { } model)
            args.AddRange(["--model", model]);
        args.AddRange(["--permission-mode", invocation.Mode == RunMode.Plan ? "plan" : invocation.Unrestricted ? "bypassPermissions" : "acceptEdits"]);
        args.AddRange(ExtraArgs(invocation));

        // With no prompt argument, -p reads the prompt from standard input.
        return WithPositionalPrompt(executable, args, invocation);
    }

    public override AgentOutputParser CreateParser(AgentInvocation invocation) => new ClaudeStreamParser(invocation.Model);

    public override string InteractiveResumeCommand(string nativeSessionId) => $"claude --resume {nativeSessionId}";
}

/// <summary>
/// Claude Code's stream-json: system/init, then assistant and user (tool result) messages, then
/// one result with the totals and the cost it computed itself.
/// </summary>
internal sealed class ClaudeStreamParser(string? requestedModel) : AgentOutputParser
{
    // An assistant message arrives once per content block, each with the message's usage so far:
    // keep the latest usage per message id, not a sum.
    private readonly Dictionary<string, (string? Model, TokenUsage Usage)> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _toolNames = new(StringComparer.Ordinal);
    private bool _finalTotals;

    protected override IReadOnlyList<TranscriptEntry> Read(string line)
    {
        if (ParseObject(line) is not { } e)
            return [new TranscriptEntry(SessionEventKind.Output, Text: line)];
        return Str(e, "type") switch
        {
            // Qwen Code, which prints the same events, starts with session_start.
            "system" when Str(e, "subtype") is "init" or "session_start" => Init(e),
            "system" when Str(e, "subtype") == "api_retry" => ApiRetry(e),
            // Newer versions (2.1.3xx) say at once when the permission mode refuses a tool call.
            "system" when Str(e, "subtype") == "permission_denied" =>
                [new TranscriptEntry(SessionEventKind.Warning, Tool: Str(e, "tool_name"), Text: $"Permission denied: {Str(e, "message") ?? Str(e, "tool_name")}")],
            // Known and of no use here: status changes, and partial messages (--include-partial-messages).
            "system" when Str(e, "subtype") == "status" => [],
            "stream_event" => [],
            "assistant" => Assistant(e),
            "user" => User(e),
            "result" => Result(e),
            _ => Unknown(line),
        };
    }

    private List<TranscriptEntry> Init(JsonElement e)
    {
        Observation.NativeSessionId = Str(e, "session_id") ?? Observation.NativeSessionId;
        Observation.Model ??= ModelName(Str(e, "model")) ?? requestedModel;
        var data = JsonSerializer.Serialize(new { session_id = Observation.NativeSessionId, model = Str(e, "model"), permission_mode = Str(e, "permissionMode"), version = Str(e, "claude_code_version") });
        return [new TranscriptEntry(SessionEventKind.Init, Text: $"claude-code session {Observation.NativeSessionId} ({Str(e, "model")}, {Str(e, "permissionMode")})", Data: data)];
    }

    /// <summary>Claude Code retrying a failed API call; on a 429 it would go on for minutes, so each one is counted.</summary>
    private List<TranscriptEntry> ApiRetry(JsonElement e)
    {
        var status = Long(e, "error_status");
        if (status == 429)
            Observation.RateLimitRetries++;
        return [new TranscriptEntry(SessionEventKind.Error,
            Text: $"API call failed ({(status == 0 ? Str(e, "error") ?? "error" : $"HTTP {status}")}); claude-code retries (attempt {Long(e, "attempt")} of {Long(e, "max_retries")}).",
            Data: Json(e))];
    }

    private List<TranscriptEntry> Assistant(JsonElement e)
    {
        var message = Obj(e, "message");
        var entries = new List<TranscriptEntry>();
        var model = ModelName(Str(message, "model"));
        if (model is not null)
            Observation.Model = model;
        if (Str(message, "id") is { } id && Obj(message, "usage") is { ValueKind: JsonValueKind.Object } usage)
        {
            _messages[id] = (model, ReadUsage(usage));
            if (!_finalTotals)
            {
                Observation.ClearUsage();
                foreach (var group in _messages.Values.GroupBy(m => m.Model ?? Observation.Model))
                    Observation.SetUsage(group.Key, TokenUsage.Sum(group.Select(g => g.Usage)));
                Observation.Turns = _messages.Count;
            }
        }
        foreach (var block in Array(message, "content"))
        {
            switch (Str(block, "type"))
            {
                case "text" when Str(block, "text") is { Length: > 0 } text:
                    entries.Add(new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: text));
                    break;
                case "tool_use":
                    var name = Str(block, "name") ?? "tool";
                    if (Str(block, "id") is { } toolId)
                        _toolNames[toolId] = name;
                    entries.Add(new TranscriptEntry(SessionEventKind.ToolCall, Tool: name, Data: Json(Obj(block, "input"))));
                    break;
            }
        }
        return entries;
    }

    private List<TranscriptEntry> User(JsonElement e)
    {
        var entries = new List<TranscriptEntry>();
        foreach (var block in Array(Obj(e, "message"), "content"))
        {
            if (Str(block, "type") != "tool_result")
                continue;
            var tool = Str(block, "tool_use_id") is { } id ? _toolNames.GetValueOrDefault(id) : null;
            var isError = Bool(block, "is_error");
            entries.Add(new TranscriptEntry(SessionEventKind.ToolResult, Tool: tool, Text: TextOf(Obj(block, "content")),
                Data: isError ? """{"is_error":true}""" : null));
        }
        return entries;
    }

    private List<TranscriptEntry> Result(JsonElement e)
    {
        var o = Observation;
        o.NativeSessionId = Str(e, "session_id") ?? o.NativeSessionId;
        o.ResultText = Str(e, "result") ?? o.ResultText;
        o.ResultIsError = Bool(e, "is_error");
        o.Turns = (int)Math.Clamp(Math.Max(Long(e, "num_turns"), o.Turns), 0, RunObservation.MaxTurns);
        o.SetReportedCost(Decimal(e, "total_cost_usd"));

        // The final totals, per model where the CLI breaks them down, replace the running sums.
        _finalTotals = true;
        o.ClearUsage();
        var byModel = Obj(e, "modelUsage");
        if (byModel.ValueKind == JsonValueKind.Object && byModel.EnumerateObject().Any())
        {
            foreach (var model in byModel.EnumerateObject())
            {
                o.Model ??= ModelName(model.Name);
                var u = model.Value;
                o.AddUsage(ModelName(model.Name), new TokenUsage(Long(u, "inputTokens"), Long(u, "outputTokens"),
                    Long(u, "cacheReadInputTokens"), Long(u, "cacheCreationInputTokens")));
            }
        }
        else if (Obj(e, "usage") is { ValueKind: JsonValueKind.Object } usage)
            o.SetUsage(o.Model, ReadUsage(usage));

        var entries = new List<TranscriptEntry>();
        var errors = Array(e, "errors").Select(x => x.ToString()).ToList();
        var denials = Array(e, "permission_denials").ToList();
        if (o.ResultIsError)
        {
            var subtype = Str(e, "subtype");
            o.ErrorText = string.Join("; ", new[] { subtype is null or "success" ? null : subtype }.Concat(errors).Where(s => !string.IsNullOrEmpty(s)));
            if (o.ErrorText.Length == 0)
                o.ErrorText = o.ResultText ?? "the agent reported an error";
        }
        if (denials.Count > 0)
            entries.Add(new TranscriptEntry(SessionEventKind.Error, Text: $"{denials.Count} tool call(s) refused by the permission mode",
                Data: JsonSerializer.Serialize(denials)));
        entries.Add(new TranscriptEntry(SessionEventKind.Result, Text: o.ResultText,
            Data: JsonSerializer.Serialize(new { subtype = Str(e, "subtype"), is_error = o.ResultIsError, num_turns = o.Turns, total_cost_usd = o.ReportedCostUsd, errors })));
        return entries;
    }

    private static TokenUsage ReadUsage(JsonElement u) =>
        new(Long(u, "input_tokens"), Long(u, "output_tokens"), Long(u, "cache_read_input_tokens"), Long(u, "cache_creation_input_tokens"));

    /// <summary>"claude-opus-4-8[1m]" names the context window too; the model is "claude-opus-4-8".</summary>
    private static string? ModelName(string? model) =>
        model is null ? null : model.IndexOf('[') is var i and > 0 ? model[..i] : model;
}
