using System.Management.Automation;
using Climux.Core.Sessions;
using Climux.PowerShell.Cmdlets;

namespace Climux.PowerShell.Jobs;

/// <summary>How runs show up in PowerShell's streams, the same for jobs and for -Wait.</summary>
internal static class RunRecords
{
    public static InformationRecord Information(ClimuxSessionEvent e)
    {
        var record = new InformationRecord(e, $"Climux:{e.SessionId}");
        record.Tags.Add("Climux");
        record.Tags.Add(e.Kind.ToString());
        return record;
    }

    /// <summary>The error a run that did not complete reports (Failed, TimedOut, Orphaned); null otherwise.</summary>
    public static ErrorRecord? FailureOf(ClimuxSession session) => session.Status switch
    {
        SessionStatus.Failed or SessionStatus.TimedOut or SessionStatus.Orphaned => new ErrorRecord(
            new RunFailedException(session),
            session.Status == SessionStatus.TimedOut ? ErrorIds.RunTimedOut : ErrorIds.RunFailed,
            ErrorCategory.OperationStopped, session),
        _ => null,
    };
}

/// <summary>A session that ended without completing.</summary>
public sealed class RunFailedException(ClimuxSession session)
    : Exception($"Session {session.Id} ({session.Provider}) ended {session.Status}" + (session.Error is null ? "." : $": {session.Error}"))
{
    public ClimuxSession Session { get; } = session;
}
