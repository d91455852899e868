using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Stops queued or running sessions, killing the agent's whole process tree, whichever PowerShell process runs them.</summary>
/// <remarks>
/// <para>A run of this PowerShell process is stopped directly. For a run of another process,
/// Stop-ClimuxSession records a stop request in the store and kills the agent's process tree from here,
/// and the owning process marks the session Stopped. For a run whose process has died, it kills the agent
/// and marks the session Stopped itself. A queued session is stopped before it starts. Each stop waits up
/// to 30 seconds for the session to finish; the session's Error then says it was stopped with
/// Stop-ClimuxSession.</para>
/// <para>A session that has already finished is left as it is (-Verbose says so). Nothing is output unless
/// -PassThru. A reference that matches no session writes a non-terminating ClimuxSessionNotFound error.
/// -WhatIf and -Confirm are supported. Stop-Job does the same for a job of this process;
/// Remove-ClimuxSession -Force stops a session and deletes it.</para>
/// </remarks>
/// <example>
/// <code>Stop-ClimuxSession bug-123</code>
/// <para>Stops the session named bug-123 and kills its agent, even when another PowerShell process started it.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxSession -Status Running, Queued -Worktree experiment-cache | Stop-ClimuxSession -PassThru</code>
/// <para>Stops every live session in the experiment-cache worktree and outputs them, now Stopped.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxSession -Status Queued | Stop-ClimuxSession -WhatIf</code>
/// <para>Shows which queued sessions would be stopped, without stopping them.</para>
/// </example>
/// <example>
/// <code>$jobs | Stop-ClimuxSession -PassThru | Format-Table Id, Status, Error</code>
/// <para>Stops the runs of the jobs Start-ClimuxRun returned and shows how each ended.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Stop, "ClimuxSession", SupportsShouldProcess = true)]
[OutputType(typeof(ClimuxSession))]
public sealed class StopClimuxSessionCommand : ClimuxCmdlet
{
    /// <summary>
    /// Sessions to stop: ids, names, id prefixes (4 characters or more), ClimuxSession objects or
    /// ClimuxRun jobs.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>
    /// Outputs each session once it has stopped, or as it is when it had already finished or did not
    /// finish within 30 seconds.
    /// </summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var reference in Id)
        {
            if (ResolveSession(reference) is not { } session)
                continue;
            if (session.IsFinished)
            {
                WriteVerbose($"Session {session.Id} has already finished ({session.Status}).");
                if (PassThru)
                    WriteObject(session);
                continue;
            }
            if (!ShouldProcess($"{session.Id} ({session.Provider}, {session.Status})", "Stop the session and kill its agent's process tree"))
                continue;
            var stopped = Engine.Sessions.StopAsync(session.Id, "Stopped with Stop-ClimuxSession.", TimeSpan.FromSeconds(30), PipelineStopToken)
                .GetAwaiter().GetResult();
            if (!stopped.IsFinished)
                WriteError(StopTimedOut(stopped));
            if (PassThru)
                WriteObject(stopped);
        }
    }
}
