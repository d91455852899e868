namespace Climux.FakeAgent;

/// <summary>What differs between the flavors outside their output: versions, ids, error messages.</summary>
internal static class Flavors
{
    public static readonly string[] All = ["claude", "codex", "gemini", "opencode", "text", "jsonl"];

    /// <summary>What each real CLI prints for <c>--version</c> (Climux probes it).</summary>
    public static string Version(string cli) => cli switch
    {
        "claude" => "2.1.197 (Claude Code)",
        "codex" => "codex-cli 0.169.0",
        "gemini" => "0.61.0",
        "opencode" => "1.18.33",
        _ => "fake-agent 1.0.0",
    };

    /// <summary>Codex thread ids are version-7 UUIDs; OpenCode's are "ses_" and 26 letters and digits.</summary>
    public static string NewSessionId(string cli) => cli switch
    {
        "codex" => Guid.CreateVersion7().ToString(),
        "opencode" => "ses_" + Ids.Alphanumeric(26),
        _ => Guid.NewGuid().ToString(),
    };

    public static string MissingSession(string cli, string id) => cli switch
    {
        "claude" => $"No conversation found with session ID: {id}",
        "codex" => $"Error: thread/resume failed: no rollout found for thread id {id}",
        "gemini" => $"Error resuming session: Invalid session identifier \"{id}\". Use --list-sessions to see available sessions.",
        "opencode" => $"Error: Session not found: {id}",
        _ => $"fake-agent: no session {id}",
    };

    public static string SessionInUse(string id) => $"Error: Session ID {id} is already in use.";

    public static string EmptyPrompt(string cli) => cli switch
    {
        "claude" => "Error: Input must be provided either through stdin or as a prompt argument when using --print",
        "codex" => "No prompt provided via stdin.",
        "gemini" => "No input provided via stdin. Input can be provided by piping data into gemini or using the --prompt option.",
        _ => "Error: You must provide a message",
    };
}
