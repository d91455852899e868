using System.Text.Json;
using Climux.Core.Sessions;

namespace Climux.Core.Agents;

/// <summary>Codex CLI: <c>codex exec --json</c>, and <c>codex exec resume &lt;thread&gt;</c>.</summary>
public sealed class CodexProvider : AgentProvider
{
    public override string Name => "codex";

    public override AgentCommandLine BuildCommand(AgentInvocation invocation, string executable)
    {
        var args = new List<string> { "exec" };
        if (invocation.ResumeSessionId is { } thread)
        {
            // "exec resume" takes no --sandbox: the same choice goes through -c.
            args.AddRange(["resume", thread, "--json"]);
            if (invocation.Unrestricted && invocation.Mode == RunMode.Task)
                args.Add("--dangerously-bypass-approvals-and-sandbox");
            else
                args.AddRange(["-c", $"sandbox_mode=\"{Sandbox(invocation)}\""]);
        }
        else
        {
            args.Add("--json");
            if (invocation.Unrestricted && invocation.Mode == RunMode.Task)
                args.Add("--dangerously-bypass-approvals-and-sandbox");
            else
                args.AddRange(["--sandbox", Sandbox(invocation)]);
        }
        if (!invocation.InGitRepository)
            args.Add("--skip-git-repo-check");
        if (invocation.Model is { } model)
            args.AddRange(["-m", model]);
        args.AddRange(ExtraArgs(invocation));

        // "-" reads the prompt from standard input.
        return WithPositionalPrompt(executable, args, invocation, stdinArgument: "-");
    }

    private static string Sandbox(AgentInvocation invocation) => invocation.Mode == RunMode.Plan ? "read-only" : "workspace-write";

    public override AgentOutputParser CreateParser(AgentInvocation invocation) => new CodexJsonParser(invocation.Model);

    public override string InteractiveResumeCommand(string nativeSessionId) => $"codex resume {nativeSessionId}";
}

/// <summary>
/// Codex's exec --json: thread.started, then items (messages, commands, file changes) and one
/// turn.completed with the turn's usage. Input tokens include the cached ones; no cost.
/// </summary>
internal sealed class CodexJsonParser(string? requestedModel) : AgentOutputParser
{
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);

    protected override IReadOnlyList<TranscriptEntry> Read(string line)
    {
        if (ParseObject(line) is not { } e)
            return [new TranscriptEntry(SessionEventKind.Output, Text: line)];
        Observation.Model ??= requestedModel;
        switch (Str(e, "type"))
        {
            case "thread.started":
                Observation.NativeSessionId = Str(e, "thread_id");
                return [new TranscriptEntry(SessionEventKind.Init, Text: $"codex thread {Observation.NativeSessionId}",
                    Data: JsonSerializer.Serialize(new { thread_id = Observation.NativeSessionId }))];
            case "turn.started" or "item.updated":
                return [];
            case "item.started":
                return ItemStarted(Obj(e, "item"));
            case "item.completed":
                return ItemCompleted(Obj(e, "item"), line);
            case "turn.completed":
                var u = Obj(e, "usage");
                var cached = Long(u, "cached_input_tokens");
                var usage = new TokenUsage(Math.Max(0, Long(u, "input_tokens") - cached), Long(u, "output_tokens"), cached, Long(u, "cache_write_input_tokens"));
                Observation.AddUsage(Observation.Model, usage);
                Observation.Turns++;
                return [new TranscriptEntry(SessionEventKind.Usage, Data: Json(u))];
            case "turn.failed":
                Observation.ResultIsError = true;
                Observation.ErrorText = Str(Obj(e, "error"), "message") ?? "the turn failed";
                Observation.RateLimited |= IsRateLimit(Observation.ErrorText);
                return [new TranscriptEntry(SessionEventKind.Error, Text: Observation.ErrorText)];
            case "error":
                // Stream errors may be retried by Codex itself; the exit code and turn.failed decide.
                Observation.ErrorText = Str(e, "message") ?? Observation.ErrorText;
                Observation.RateLimited |= IsRateLimit(Str(e, "message"));
                return [new TranscriptEntry(SessionEventKind.Error, Text: Str(e, "message"))];
            default:
                return Unknown(line);
        }
    }

    /// <summary>Codex gives up on a rate limit within seconds: "exceeded retry limit, last status: 429 Too Many Requests".</summary>
    private static bool IsRateLimit(string? message) =>
        message is not null && message.Contains("last status: 429", StringComparison.Ordinal);

    private List<TranscriptEntry> ItemStarted(JsonElement item)
    {
        if (Str(item, "type") != "command_execution" || Str(item, "id") is not { } id)
            return [];
        _started.Add(id);
        return [new TranscriptEntry(SessionEventKind.ToolCall, Tool: "shell", Text: Str(item, "command"))];
    }

    private List<TranscriptEntry> ItemCompleted(JsonElement item, string line)
    {
        switch (Str(item, "type"))
        {
            case "agent_message":
                Observation.ResultText = Str(item, "text");
                return [new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: Observation.ResultText)];
            case "command_execution":
                var entries = new List<TranscriptEntry>();
                if (Str(item, "id") is not { } id || !_started.Remove(id))
                    entries.Add(new TranscriptEntry(SessionEventKind.ToolCall, Tool: "shell", Text: Str(item, "command")));
                entries.Add(new TranscriptEntry(SessionEventKind.ToolResult, Tool: "shell", Text: Str(item, "aggregated_output"),
                    Data: JsonSerializer.Serialize(new { exit_code = Obj(item, "exit_code").ValueKind == JsonValueKind.Number ? Obj(item, "exit_code").GetInt32() : (int?)null, status = Str(item, "status") })));
                return entries;
            case "file_change":
                return [new TranscriptEntry(SessionEventKind.ToolCall, Tool: "file_change", Data: Json(Obj(item, "changes")))];
            case "mcp_tool_call":
                return [new TranscriptEntry(SessionEventKind.ToolCall, Tool: $"{Str(item, "server")}.{Str(item, "tool")}", Data: Json(item))];
            case "web_search":
                return [new TranscriptEntry(SessionEventKind.ToolCall, Tool: "web_search", Text: Str(item, "query"))];
            case "error":
                return [new TranscriptEntry(SessionEventKind.Error, Text: Str(item, "message"))];
            case "reasoning" or "todo_list":
                return [];
            default:
                return Unknown(line);
        }
    }
}
