namespace Climux.Core.Sessions;

public enum SessionStatus
{
    /// <summary>Waiting for a slot (quota) or for the sessions it depends on.</summary>
    Queued,
    Running,
    Completed,
    /// <summary>Non-zero exit, the agent's own error result, a failed dependency, or -MaxCost passed.</summary>
    Failed,
    /// <summary>Stopped by Stop-ClimuxSession, Stop-Job or Ctrl+C.</summary>
    Stopped,
    /// <summary>Ran longer than its -Timeout.</summary>
    TimedOut,
    /// <summary>The process that ran it (pwsh, climux) died, or its host stopped renewing its lease; found and marked by a later Climux call.</summary>
    Orphaned,
}

public enum RunMode
{
    /// <summary>Autonomous edits inside the worktree, in the CLI's own safe write mode.</summary>
    Task,
    /// <summary>Read-only: the agent may look but not change anything.</summary>
    Plan,
}

public enum CostSource
{
    /// <summary>The agent CLI reported the cost itself.</summary>
    Reported,
    /// <summary>Climux computed it from the tokens and its pricing table.</summary>
    Computed,
}

public static class SessionStatuses
{
    public static bool IsFinished(this SessionStatus status) => status is not (SessionStatus.Queued or SessionStatus.Running);

    public static IReadOnlyList<SessionStatus> Active { get; } = [SessionStatus.Queued, SessionStatus.Running];
}
