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
/// <example>
/// <code>Remove-ClimuxSession -OlderThan 30 -WhatIf
/// Remove-ClimuxSession -OlderThan 30 -Confirm:$false</code>
/// <para>Lists, then deletes, every finished session that ended 30 days ago or earlier; queued and running sessions are never touched. Set retention: { days: 30 } in config.yaml to have Climux do this once a day by itself.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "ClimuxSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ById)]
public sealed class RemoveClimuxSessionCommand : ClimuxCmdlet
{
    private const string ById = "Id";
    private const string ByAge = "OlderThan";

    /// <summary>
    /// Deletes every finished session (Completed, Failed, Stopped, TimedOut, Orphaned) that ended this many
    /// days ago or earlier, with its transcript and logs; 0 deletes the whole finished history. Queued and
    /// running sessions are never deleted this way. Each session is confirmed as with -Id (-WhatIf, -Confirm).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ByAge)]
    [ValidateRange(0, 100_000)]
    public double OlderThan { get; set; }

    /// <summary>
    /// Sessions to delete: ids, names, id prefixes (4 characters or more), ClimuxSession objects or
    /// ClimuxRun jobs. No wildcards; pipe Get-ClimuxSession to select several.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>
    /// Stops a queued or running session first, killing its agent's process tree, and then deletes it,
    /// instead of refusing it with ClimuxSessionActive.
    /// </summary>
    [Parameter(ParameterSetName = ById)]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByAge)
        {
            foreach (var session in Engine.Sessions.FinishedOlderThan(OlderThan))
            {
                if (ShouldProcess(Describe(session), "Delete the session, its transcript and its logs"))
                    Engine.Sessions.DeleteAsync(session.Id, null, TimeSpan.Zero, PipelineStopToken).GetAwaiter().GetResult();
            }
            return;
        }
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
            if (!ShouldProcess(Describe(session), "Delete the session, its transcript and its logs"))
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

    private static string Describe(ClimuxSession session) =>
        $"{session.Id} ({session.Provider}, {session.Status}): {ClimuxSession.Abbreviate(session.Prompt, 50)}";
}
