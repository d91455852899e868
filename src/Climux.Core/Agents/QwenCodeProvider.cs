using Climux.Core.Sessions;

namespace Climux.Core.Agents;

/// <summary>
/// Qwen Code (<c>qwen</c>, a fork of Gemini CLI that calls an OpenAI-compatible API):
/// <c>qwen --output-format stream-json --approval-mode … &lt;prompt&gt;</c>. Its stream-json is
/// Claude Code's (system, assistant, user, result events), so it is read by that parser.
/// </summary>
public sealed class QwenCodeProvider : AgentProvider
{
    public override string Name => "qwen-code";

    public override AgentCommandLine BuildCommand(AgentInvocation invocation, string executable)
    {
        var args = new List<string> { "--output-format", "stream-json" };
        if (invocation.ResumeSessionId is { } resume)
            args.AddRange(["--resume", resume]);
        if (invocation.Model is { } model)
            args.AddRange(["-m", model]);
        args.AddRange(["--approval-mode", invocation.Mode == RunMode.Plan ? "plan" : invocation.Unrestricted ? "yolo" : "auto-edit"]);
        args.AddRange(ExtraArgs(invocation));
        // The positional prompt (its -p is deprecated); a long one goes to standard input.
        return WithPositionalPrompt(executable, args, invocation);
    }

    public override AgentOutputParser CreateParser(AgentInvocation invocation) => new ClaudeStreamParser(invocation.Model);

    public override string InteractiveResumeCommand(string nativeSessionId) => $"qwen --resume {nativeSessionId}";
}
