using System.Management.Automation;
using Climux.Core.Runs;
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

    /// <summary>Writes a live run update to <paramref name="cmdlet"/>'s streams (on the pipeline thread): events as information, warnings, status as verbose.</summary>
    public static void Show(Cmdlet cmdlet, RunUpdate update)
    {
        switch (update)
        {
            case RunTranscriptUpdate transcript:
                cmdlet.WriteInformation(Information(transcript.Event));
                break;
            case RunWarningUpdate warning:
                cmdlet.WriteWarning(warning.Message);
                break;
            case RunStatusUpdate status:
                cmdlet.WriteVerbose(status.Message);
                break;
        }
    }

    /// <summary>The error a run that did not complete reports (Failed, TimedOut, Orphaned); null otherwise.</summary>
    public static ErrorRecord? FailureOf(ClimuxSession session) => RunFailedException.Of(session) is { } failure
        ? new ErrorRecord(failure, failure.TimedOut ? ErrorIds.RunTimedOut : ErrorIds.RunFailed, ErrorCategory.OperationStopped, session)
        : null;
}
