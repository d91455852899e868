using Climux.Core.Sessions;

namespace Climux.Core.Runs;

/// <summary>
/// A session that ended without completing, as every face reports it: Failed, TimedOut and
/// Orphaned are failures of the run; Completed is success and Stopped is what someone asked for.
/// </summary>
public sealed class RunFailedException(ClimuxSession session)
    : Exception($"Session {session.Id} ({session.Provider}) ended {session.Status}" + (session.Error is null ? "." : $": {session.Error}"))
{
    public ClimuxSession Session { get; } = session;

    /// <summary>It ran past its -Timeout (reported as ClimuxRunTimedOut rather than ClimuxRunFailed).</summary>
    public bool TimedOut => Session.Status == SessionStatus.TimedOut;

    /// <summary>The failure a finished session stands for; null when it completed or was stopped (or has not finished).</summary>
    public static RunFailedException? Of(ClimuxSession session) =>
        session.Status is SessionStatus.Failed or SessionStatus.TimedOut or SessionStatus.Orphaned ? new RunFailedException(session) : null;
}

/// <summary>Someone asked a session to stop, and it had not finished when the wait for it ended.</summary>
public sealed class StopTimeoutException(ClimuxSession session)
    : TimeoutException($"Session {session.Id} was asked to stop but is still {session.Status}; it may take a moment more (Wait-ClimuxSession {session.Id}).")
{
    public ClimuxSession Session { get; } = session;
}

/// <summary>The session is still queued or running, and what was asked needs it finished (or -Force).</summary>
public sealed class SessionActiveException(ClimuxSession session, string message) : InvalidOperationException(message)
{
    public ClimuxSession Session { get; } = session;
}
