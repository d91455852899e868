using Climux.Core.Config;
using Climux.Core.Sessions;

namespace Climux.Core.Agents;

/// <summary>What to ask of an agent: Climux's run, in terms every provider understands.</summary>
public sealed record AgentInvocation
{
    public required string Prompt { get; init; }
    public RunMode Mode { get; init; } = RunMode.Task;
    public string? Model { get; init; }
    /// <summary>Map to the CLI's bypass flags (no sandbox, no permission checks). Never the default.</summary>
    public bool Unrestricted { get; init; }
    public required string WorkingDirectory { get; init; }
    /// <summary>The native session to continue; null for a new conversation.</summary>
    public string? ResumeSessionId { get; init; }
    /// <summary>A native session id chosen up front, for CLIs that accept one.</summary>
    public string? PresetSessionId { get; init; }
    public bool InGitRepository { get; init; } = true;
    public ProviderConfig? Settings { get; init; }
}

/// <summary>A process to start: never through a shell.</summary>
public sealed record AgentCommandLine(
    string Executable,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string? StandardInput = null);

/// <summary>One agent CLI: how to start it for a run or a resume, and how to read what it prints.</summary>
public abstract class AgentProvider
{
    /// <summary>
    /// Longest prompt passed as an argument; Linux refuses one argument over 128 KiB, so longer
    /// prompts go through standard input (then closed) for CLIs that read it.
    /// </summary>
    public const int MaxArgumentPromptBytes = 96 * 1024;

    public abstract string Name { get; }

    /// <summary>Whether the native session id can be chosen by Climux before the run.</summary>
    public virtual bool PresetsSessionId => false;

    /// <summary>Whether a Plan (read-only) run can be asked of it.</summary>
    public virtual bool CanPlan => true;

    public abstract AgentCommandLine BuildCommand(AgentInvocation invocation, string executable);

    public abstract AgentOutputParser CreateParser(AgentInvocation invocation);

    /// <summary>The command a person would type to continue the conversation interactively.</summary>
    public abstract string? InteractiveResumeCommand(string nativeSessionId);

    public virtual bool CanResume => true;

    /// <summary>
    /// Ends the command line with the prompt as its last argument, after "--" when it would read
    /// as an option; a prompt too long for an argument goes to standard input instead, announced
    /// by <paramref name="stdinArgument"/> for CLIs that need one.
    /// </summary>
    protected static AgentCommandLine WithPositionalPrompt(string executable, List<string> args, AgentInvocation invocation, string? stdinArgument = null)
    {
        if (!PromptGoesAsArgument(invocation.Prompt, executable))
        {
            if (stdinArgument is not null)
                args.Add(stdinArgument);
            return new AgentCommandLine(executable, args, EnvironmentOf(invocation), invocation.Prompt);
        }
        if (invocation.Prompt.StartsWith('-'))
            args.Add("--");
        args.Add(invocation.Prompt);
        return new AgentCommandLine(executable, args, EnvironmentOf(invocation));
    }

    /// <summary>
    /// Ends the command line with "--prompt=&lt;text&gt;" (so a prompt that starts with "-" cannot read as
    /// an option); a prompt too long for an argument goes to standard input, where Gemini CLI and its
    /// forks read it when no prompt option is given.
    /// </summary>
    protected static AgentCommandLine WithPromptOption(string executable, List<string> args, AgentInvocation invocation)
    {
        if (!PromptGoesAsArgument(invocation.Prompt, executable))
            return new AgentCommandLine(executable, args, EnvironmentOf(invocation), invocation.Prompt);
        args.Add("--prompt=" + invocation.Prompt);
        return new AgentCommandLine(executable, args, EnvironmentOf(invocation));
    }

    protected static bool PromptFitsArgument(string prompt) =>
        System.Text.Encoding.UTF8.GetByteCount(prompt) <= MaxArgumentPromptBytes;

    /// <summary>
    /// Whether the prompt can be an argument: short enough, and not handed to a Windows batch
    /// file (npm's claude.cmd and the like), where cmd.exe would read &amp;, | and %VAR% in it.
    /// </summary>
    protected static bool PromptGoesAsArgument(string prompt, string executable) =>
        PromptFitsArgument(prompt) && !Providers.CommandResolver.IsBatchFile(executable);

    protected static IReadOnlyDictionary<string, string> EnvironmentOf(AgentInvocation invocation) =>
        invocation.Settings?.Env ?? new Dictionary<string, string>();

    protected static IEnumerable<string> ExtraArgs(AgentInvocation invocation) => invocation.Settings?.Args ?? [];
}
