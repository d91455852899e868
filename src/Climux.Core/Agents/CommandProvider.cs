using System.Text;
using System.Text.Json;
using Climux.Core.Config;
using Climux.Core.Providers;
using Climux.Core.Sessions;
using Climux.Core.Text;

namespace Climux.Core.Agents;

/// <summary>
/// Any executable declared under <c>providers:</c>. Its arguments come from config, with
/// <c>{prompt}</c>, <c>{model}</c> and (to resume) <c>{sessionId}</c> replaced; without
/// <c>{prompt}</c> the prompt goes to standard input. Output is plain text, or JSON lines in
/// Climux's own small schema (see about_Climux).
/// </summary>
public sealed partial class CommandProvider(string name, ProviderConfig settings) : AgentProvider
{
    public override string Name => name;
    public override bool CanResume => settings.ResumeArgs is { Count: > 0 };
    public override bool CanPlan => settings.PlanArgs is not null;

    public override AgentCommandLine BuildCommand(AgentInvocation invocation, string executable)
    {
        var template = invocation.ResumeSessionId is not null
            ? CanResume ? settings.ResumeArgs! : throw new InvalidOperationException($"Provider '{name}' has no resumeArgs in its config, so it cannot resume a session.")
            : invocation.Mode == RunMode.Plan ? settings.PlanArgs ?? throw new InvalidOperationException($"Provider '{name}' has no planArgs, so it cannot run read-only.")
            : settings.Args ?? [];
        var viaArgument = template.Any(a => a.Contains("{prompt}", StringComparison.Ordinal));
        if (viaArgument && CommandResolver.IsBatchFile(executable))
            throw new InvalidOperationException($"'{executable}' is a batch file, where cmd.exe would read the prompt's &, | and %: " +
                $"take {{prompt}} out of providers.{name} args so Climux passes the prompt on standard input.");
        if (viaArgument && !PromptFitsArgument(invocation.Prompt))
            throw new InvalidOperationException($"The prompt is too long for one argument ({Encoding.UTF8.GetByteCount(invocation.Prompt)} bytes). " +
                $"Take {{prompt}} out of providers.{name} args so Climux passes the prompt on standard input.");
        // One pass over each argument, so placeholders inside the prompt itself stay as they are.
        var values = new Dictionary<string, string>
        {
            ["{prompt}"] = invocation.Prompt,
            ["{model}"] = invocation.Model ?? "",
            ["{sessionId}"] = invocation.ResumeSessionId ?? "",
        };
        var args = template.Select(a => Placeholder().Replace(a, m => values[m.Value])).ToList();
        return new AgentCommandLine(executable, args, settings.Env, viaArgument ? null : invocation.Prompt);
    }

    /// <summary>The parser <c>output:</c> names: a fork of a big CLI reuses that CLI's parser; text by default.</summary>
    public override AgentOutputParser CreateParser(AgentInvocation invocation) => settings.Output switch
    {
        ProviderOutput.Jsonl => new CommandJsonlParser(invocation.Model),
        ProviderOutput.ClaudeStreamJson => new ClaudeStreamParser(invocation.Model),
        ProviderOutput.CodexJson => new CodexJsonParser(invocation.Model),
        ProviderOutput.GeminiStreamJson => new GeminiStreamParser(invocation.Model),
        ProviderOutput.OpencodeJson => new OpenCodeJsonParser(invocation.Model),
        _ => new CommandTextParser(invocation.Model),
    };

    public override string? InteractiveResumeCommand(string nativeSessionId) => null;

    [System.Text.RegularExpressions.GeneratedRegex(@"\{prompt\}|\{model\}|\{sessionId\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();
}

/// <summary>
/// Plain text: every line is the agent speaking; all of it together is the result, of which the
/// last 64 KiB are kept (the answer comes at the end), after a marker when more was said.
/// </summary>
internal sealed class CommandTextParser : AgentOutputParser
{
    private const int MaxResultChars = 64 * 1024;
    private readonly StringBuilder _text = new();
    private long _dropped;

    public CommandTextParser(string? model) => Observation.Model = model;

    protected override bool SkipsBlankLines => false;

    protected override IReadOnlyList<TranscriptEntry> Read(string line)
    {
        if (line.Length >= MaxResultChars)
        {
            // Only the end of a long line can be kept: do not copy the rest.
            _dropped += _text.Length + line.Length - MaxResultChars;
            _text.Clear().Append(line.AsSpan(line.Length - MaxResultChars));
        }
        else
            _text.Append(line);
        _text.Append('\n');
        if (_text.Length > 2 * MaxResultChars)
        {
            var drop = _text.Length - MaxResultChars;
            _text.Remove(0, drop);
            _dropped += drop;
        }
        Observation.Turns = 1;
        return string.IsNullOrWhiteSpace(line) ? [] : [new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: line)];
    }

    protected override IReadOnlyList<TranscriptEntry> Finish()
    {
        Observation.ResultText = TerminalText.KeepEnd(_text.ToString().TrimEnd(), MaxResultChars, _dropped);
        return [];
    }
}

/// <summary>
/// JSON lines, one object each: <c>{"type":"session","id"}</c>, <c>{"type":"message","text"}</c>,
/// <c>{"type":"tool_call","tool","input"}</c>, <c>{"type":"tool_result","tool","output"}</c>,
/// <c>{"type":"usage","model","input_tokens","output_tokens","cache_read_tokens","cache_write_tokens","cost_usd"}</c>,
/// <c>{"type":"result","text","is_error"}</c>. Other lines are kept as output.
/// </summary>
internal sealed class CommandJsonlParser : AgentOutputParser
{
    public CommandJsonlParser(string? model) => Observation.Model = model;

    protected override IReadOnlyList<TranscriptEntry> Read(string line)
    {
        if (ParseObject(line) is not { } e)
            return [new TranscriptEntry(SessionEventKind.Output, Text: line)];
        var o = Observation;
        switch (Str(e, "type"))
        {
            case "session":
                o.NativeSessionId = Str(e, "id");
                o.Model = Str(e, "model") ?? o.Model;
                return [new TranscriptEntry(SessionEventKind.Init, Text: $"session {o.NativeSessionId}", Data: Json(e))];
            case "message":
                o.ResultText = Str(e, "text");
                o.Turns++;
                return [new TranscriptEntry(SessionEventKind.Message, Role: Str(e, "role") ?? "assistant", Text: Str(e, "text"))];
            case "tool_call":
                return [new TranscriptEntry(SessionEventKind.ToolCall, Tool: Str(e, "tool"), Data: Json(Obj(e, "input")))];
            case "tool_result":
                return [new TranscriptEntry(SessionEventKind.ToolResult, Tool: Str(e, "tool"), Text: Str(e, "output"))];
            case "usage":
                o.AddUsage(Str(e, "model") ?? o.Model, new TokenUsage(Long(e, "input_tokens"), Long(e, "output_tokens"), Long(e, "cache_read_tokens"), Long(e, "cache_write_tokens")));
                if (Decimal(e, "cost_usd") is { } cost)
                    o.AddReportedCost(cost);
                return [new TranscriptEntry(SessionEventKind.Usage, Data: Json(e))];
            case "result":
                o.ResultText = Str(e, "text") ?? o.ResultText;
                o.ResultIsError = Bool(e, "is_error");
                if (o.ResultIsError)
                    o.ErrorText = Str(e, "error") ?? o.ResultText;
                return [new TranscriptEntry(SessionEventKind.Result, Text: o.ResultText, Data: Json(e))];
            default:
                return [new TranscriptEntry(SessionEventKind.Output, Text: line)];
        }
    }
}
