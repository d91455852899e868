using System.Text.Json;
using Climux.Core.Sessions;

namespace Climux.Core.Agents;

/// <summary>
/// OpenCode: <c>opencode run --format json</c>; a Task run uses its <c>build</c> agent, a Plan run
/// its read-only <c>plan</c> agent, and an unrestricted run adds <c>--auto</c>.
/// </summary>
public sealed class OpenCodeProvider : AgentProvider
{
    public override string Name => "opencode";

    public override AgentCommandLine BuildCommand(AgentInvocation invocation, string executable)
    {
        var args = new List<string> { "run", "--format", "json" };
        if (invocation.ResumeSessionId is { } resume)
            args.AddRange(["-s", resume]);
        if (invocation.Model is { } model)
            args.AddRange(["-m", model]);
        args.AddRange(["--agent", invocation.Mode == RunMode.Plan ? "plan" : "build"]);
        if (invocation.Unrestricted && invocation.Mode == RunMode.Task)
            args.Add("--auto"); // approves every permission not explicitly denied

        args.AddRange(ExtraArgs(invocation));
        return WithPositionalPrompt(executable, args, invocation);
    }

    public override AgentOutputParser CreateParser(AgentInvocation invocation) => new OpenCodeJsonParser(invocation.Model);

    public override string InteractiveResumeCommand(string nativeSessionId) => $"opencode --session {nativeSessionId}";
}

/// <summary>
/// OpenCode's run --format json: per model call a step_start, its text and tool parts, and a
/// step_finish with that step's tokens and cost.
/// </summary>
internal sealed class OpenCodeJsonParser(string? requestedModel) : AgentOutputParser
{
    // Kept as OpenCode names it ("provider/model"): a resume passes it back with -m, and the
    // pricing table reads "anthropic/claude-sonnet-4-5" as "claude-sonnet-4-5".
    private readonly string? _model = requestedModel;

    protected override IReadOnlyList<TranscriptEntry> Read(string line)
    {
        if (ParseObject(line) is not { } e)
            return [new TranscriptEntry(SessionEventKind.Output, Text: line)];
        Observation.Model ??= _model;
        var part = Obj(e, "part");
        var entries = new List<TranscriptEntry>();
        if (Observation.NativeSessionId is null && Str(e, "sessionID") is { } session)
        {
            Observation.NativeSessionId = session;
            entries.Add(new TranscriptEntry(SessionEventKind.Init, Text: $"opencode session {session}",
                Data: JsonSerializer.Serialize(new { session_id = session })));
        }
        switch (Str(e, "type"))
        {
            case "text" when Str(part, "text") is { Length: > 0 } text:
                Observation.ResultText = text;
                entries.Add(new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: text));
                break;
            case "tool_use":
                var tool = Str(part, "tool") ?? "tool";
                var state = Obj(part, "state");
                entries.Add(new TranscriptEntry(SessionEventKind.ToolCall, Tool: tool, Data: Json(Obj(state, "input"))));
                if (Str(state, "status") is "completed" or "error")
                    entries.Add(new TranscriptEntry(SessionEventKind.ToolResult, Tool: tool, Text: Str(state, "output") ?? Str(state, "error"),
                        Data: JsonSerializer.Serialize(new { status = Str(state, "status") })));
                break;
            case "step_finish":
                var tokens = Obj(part, "tokens");
                var cache = Obj(tokens, "cache");
                // Reasoning tokens are billed as output.
                Observation.AddUsage(Observation.Model, new TokenUsage(Long(tokens, "input"), Long(tokens, "output") + Long(tokens, "reasoning"),
                    Long(cache, "read"), Long(cache, "write")));
                // A step that used tokens but cost 0 is one OpenCode had no price for (a custom
                // provider): then Climux computes the cost from its own table instead.
                if (Decimal(part, "cost") is { } cost && (cost != 0 || Long(tokens, "total") == 0 && Long(tokens, "input") + Long(tokens, "output") == 0))
                    Observation.AddReportedCost(cost);
                Observation.Turns++;
                entries.Add(new TranscriptEntry(SessionEventKind.Usage, Data: Json(tokens)));
                break;
            case "error":
                Observation.ResultIsError = true;
                var error = Obj(e, "error");
                Observation.ErrorText = Str(Obj(error, "data"), "message") ?? Str(error, "message") ?? Str(error, "name") ?? "opencode reported an error";
                entries.Add(new TranscriptEntry(SessionEventKind.Error, Text: Observation.ErrorText, Data: Json(error)));
                break;
            case "text" or "step_start":
                break;
            default:
                entries.AddRange(Unknown(line));
                break;
        }
        return entries;
    }
}
