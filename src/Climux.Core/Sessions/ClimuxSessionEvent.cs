namespace Climux.Core.Sessions;

public enum SessionEventKind
{
    /// <summary>Climux's own lifecycle note: queued, started, finished.</summary>
    Status,
    /// <summary>The agent CLI started its session (native id, model).</summary>
    Init,
    /// <summary>Text from the agent (or the user prompt).</summary>
    Message,
    ToolCall,
    ToolResult,
    /// <summary>Tokens or cost reported along the way.</summary>
    Usage,
    /// <summary>The agent's final result.</summary>
    Result,
    Error,
    /// <summary>Output that is not part of the CLI's event stream (plain text, stray lines).</summary>
    Output,
    /// <summary>Climux's note about something that went wrong without ending the run (a lost record written again, a refused value).</summary>
    Warning,
}

/// <summary>One transcript entry of a session, in the order the agent printed it.</summary>
public sealed class ClimuxSessionEvent
{
    public required string SessionId { get; init; }
    public long Sequence { get; init; }
    public DateTimeOffset At { get; init; }
    public SessionEventKind Kind { get; init; }
    /// <summary>assistant, user, system; for messages.</summary>
    public string? Role { get; init; }
    /// <summary>The tool's name, for tool calls and results.</summary>
    public string? Tool { get; init; }
    public string? Text { get; init; }
    /// <summary>Structured detail as JSON (a tool's input, usage numbers), where there is any.</summary>
    public string? Data { get; init; }

    public override string ToString()
    {
        var who = Kind switch
        {
            SessionEventKind.Message => Role ?? "agent",
            SessionEventKind.ToolCall => $"tool {Tool}",
            SessionEventKind.ToolResult => $"result {Tool}",
            _ => Kind.ToString().ToLowerInvariant(),
        };
        var text = Text ?? Data ?? "";
        return $"[{SessionId}] {who}: {ClimuxSession.Abbreviate(text, 200)}";
    }
}
