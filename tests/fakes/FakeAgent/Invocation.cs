namespace Climux.FakeAgent;

/// <summary>What one command line asked for, in the same terms for every flavor.</summary>
internal sealed record Invocation
{
    public required string Cli { get; init; }

    /// <summary>The prompt given as an argument; null when it comes on standard input.</summary>
    public string? PromptArgument { get; init; }

    public string? ResumeId { get; init; }

    /// <summary>A new session's id chosen by the caller (claude and gemini <c>--session-id</c>).</summary>
    public string? PresetId { get; init; }

    public string? Model { get; init; }

    /// <summary>Whether the permission mode, sandbox or agent lets a tool write files.</summary>
    public bool CanWrite { get; init; }

    /// <summary>Claude's permission mode, as its init event reports it.</summary>
    public string PermissionMode { get; init; } = "default";

    /// <summary>Codex without sandbox: replays the bypass recording.</summary>
    public bool Bypass { get; init; }

    public int? MaxTurns { get; init; }
}

/// <summary>A command line the real CLI would refuse: the message goes to stderr.</summary>
internal sealed class UsageException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
