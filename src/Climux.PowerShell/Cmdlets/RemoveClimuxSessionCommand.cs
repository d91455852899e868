using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Deletes sessions: their records, transcripts and raw logs. Refuses live sessions unless -Force (which stops them first).</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ClimuxSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveClimuxSessionCommand : ClimuxCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>Stops a queued or running session first instead of refusing it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var repository = Sessions();
        foreach (var reference in Id)
        {
            if (ResolveSession(repository, reference) is not { } session)
                continue;
            if (!session.IsFinished && !Force)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"Session {session.Id} is {session.Status}. Stop it first, or use -Force."),
                    ErrorIds.SessionActive, ErrorCategory.ResourceBusy, session));
                continue;
            }
            if (!ShouldProcess($"{session.Id} ({session.Provider}, {session.Status}): {ClimuxSessionText.Abbreviate(session.Prompt, 50)}", "Delete the session, its transcript and its logs"))
                continue;
            if (!session.IsFinished)
                SessionControl.StopAsync(Home, session.Id, "Removed with Remove-ClimuxSession -Force.", TimeSpan.FromSeconds(30), PipelineStopToken).GetAwaiter().GetResult();
            repository.Delete(session.Id);
            foreach (var log in Directory.EnumerateFiles(Home.LogsDirectory, $"{session.Id}.*.log"))
                File.Delete(log);
        }
    }
}
