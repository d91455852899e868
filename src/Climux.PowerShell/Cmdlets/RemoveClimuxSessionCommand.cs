using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Deletes sessions from the store, with their transcripts and raw logs.</summary>
/// <remarks>
/// <para>Remove-ClimuxSession deletes each session's record, its transcript, the name that points to it,
/// and its raw output logs ($CLIMUX_HOME/logs/&lt;id&gt;.*.log). It does not touch the folder or worktree
/// the agent worked in, nor the agent CLI's own record of the conversation. Sessions that resumed a
/// deleted one keep their records with ParentId cleared; a queued run that depends on it ends Failed
/// without starting.</para>
/// <para>A session that is still queued or running is refused with a non-terminating ClimuxSessionActive
/// error, unless -Force, which stops it first as Stop-ClimuxSession does. A reference that matches no
/// session writes ClimuxSessionNotFound. Nothing is output. -WhatIf and -Confirm are supported, naming
/// each session with its provider, status and prompt.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxSession -Status Failed | Remove-ClimuxSession -WhatIf</code>
/// <para>Shows which failed sessions would be deleted, without deleting them.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxSession -Status Completed, Failed, Stopped, TimedOut, Orphaned |
///     Where-Object EndedAt -lt (Get-Date).AddDays(-30) |
///     Remove-ClimuxSession</code>
/// <para>Deletes every finished session that ended more than 30 days ago.</para>
/// </example>
/// <example>
/// <code>Remove-ClimuxSession bug-123 -Force</code>
/// <para>Stops the session named bug-123 if it is still queued or running, then deletes it.</para>
/// </example>
/// <example>
/// <code>try { Remove-ClimuxSession $job -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }</code>
/// <para>Prints ClimuxSessionActive,Climux.PowerShell.Cmdlets.RemoveClimuxSessionCommand while the job's run is still going on.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "ClimuxSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveClimuxSessionCommand : ClimuxCmdlet
{
    /// <summary>
    /// Sessions to delete: ids, names, id prefixes (4 characters or more), ClimuxSession objects or
    /// ClimuxRun jobs. No wildcards; pipe Get-ClimuxSession to select several.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>
    /// Stops a queued or running session first, killing its agent's process tree, and then deletes it,
    /// instead of refusing it with ClimuxSessionActive.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var reference in Id)
        {
            if (ResolveSession(reference) is not { } session)
                continue;
            if (!session.IsFinished && !Force)
            {
                WriteError(new ErrorRecord(new SessionActiveException(session, $"Session {session.Id} is {session.Status}. Stop it first, or use -Force."),
                    ErrorIds.SessionActive, ErrorCategory.ResourceBusy, session));
                continue;
            }
            if (!ShouldProcess($"{session.Id} ({session.Provider}, {session.Status}): {ClimuxSession.Abbreviate(session.Prompt, 50)}", "Delete the session, its transcript and its logs"))
                continue;
            try
            {
                Engine.Sessions.DeleteAsync(session.Id, "Removed with Remove-ClimuxSession -Force.", TimeSpan.FromSeconds(30), PipelineStopToken).GetAwaiter().GetResult();
            }
            catch (StopTimeoutException e)
            {
                WriteError(StopTimedOut(e.Session));
            }
        }
    }
}
