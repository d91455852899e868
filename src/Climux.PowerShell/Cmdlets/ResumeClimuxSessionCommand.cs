using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Completion;
using Climux.PowerShell.Jobs;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Continues a finished session's conversation with the agent CLI's own resume, in the same folder, as a new linked session.</summary>
/// <remarks>
/// <para>Resume-ClimuxSession starts a new run of the session's provider, in the session's folder and
/// worktree, that continues the agent's conversation through its native session id, so the agent
/// remembers what was said and done. The new session has the resumed session's id as its ParentId and the
/// same NativeSessionId; the resumed session is left as it is. Mode and model default to the session's,
/// and so do its -Timeout and -MaxCost unless new ones are given; -Unrestricted and -Force are never
/// taken over and apply to this run only.</para>
/// <para>It supports -WhatIf and -Confirm. Like Start-ClimuxRun it queues under the same quotas and daily budget and outputs a ClimuxRun
/// job at once, or with -Wait the finished session. A session can be resumed whatever it ended as. To
/// continue the conversation interactively in the CLI itself instead, type the session's
/// ResumeCommand.</para>
/// <para>Errors: ClimuxSessionNotFound; ClimuxSessionActive when the session is still queued or running;
/// ClimuxCannotResume when it has no native session id or its provider cannot resume (a command provider
/// without resumeArgs); ClimuxDirectoryNotFound when its folder is gone, for example after
/// Remove-ClimuxWorktree; ClimuxProviderNotInstalled, ClimuxWorktreeBusy and ClimuxInvalidRunOptions as
/// for Start-ClimuxRun; and a terminating ClimuxBudgetExceeded once today's budget is spent, unless
/// -Force. A continuation that fails, for example because the CLI no longer knows the conversation,
/// ends Failed and reports ClimuxRunFailed.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxSession -Last 1 | Resume-ClimuxSession -Prompt 'Now add tests for the new endpoint' -Wait</code>
/// <para>Continues the newest session with a new instruction, waits for it, and outputs the new session, whose ParentId is the old one's id.</para>
/// </example>
/// <example>
/// <code>Resume-ClimuxSession fix-login 'The CI run fails on Windows paths; fix that too'</code>
/// <para>Continues the session named fix-login in its worktree and returns a job at once.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxSession -Status TimedOut | Resume-ClimuxSession -Timeout 3600</code>
/// <para>Tells each timed-out session to continue where it left off, giving each continuation an hour.</para>
/// </example>
/// <example>
/// <code>try { Resume-ClimuxSession $job -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }</code>
/// <para>Prints ClimuxSessionActive,Climux.PowerShell.Cmdlets.ResumeClimuxSessionCommand while the job's run is still going on; wait for it first with Wait-ClimuxSession.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Resume, "ClimuxSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClimuxRunJob), typeof(ClimuxSession))]
public sealed class ResumeClimuxSessionCommand : RunCmdletBase
{
    /// <summary>
    /// The finished session to continue: an id, a name, an id prefix (4 characters or more), a
    /// ClimuxSession or a ClimuxRun job. Sessions from the pipeline are resumed one by one.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string Id { get; set; } = "";

    /// <summary>What to tell the agent next. Default: "Continue where you left off."</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Prompt { get; set; } = "Continue where you left off.";

    /// <summary>
    /// Another model for the continuation. Default: the session's model, else providers.&lt;name&gt;.model.
    /// </summary>
    [Parameter]
    public string? Model { get; set; }

    /// <summary>Task or Plan for the continuation. Default: the session's mode.</summary>
    [Parameter]
    public RunMode? Mode { get; set; }

    /// <summary>
    /// Passes the CLI's bypass flag for this continuation, as Start-ClimuxRun -Unrestricted does; it is
    /// not taken over from the resumed session. Refused for a Plan run (ClimuxInvalidRunOptions). It asks
    /// for confirmation first unless -Force, -Confirm:$false or $ConfirmPreference = 'None'.
    /// </summary>
    [Parameter]
    public SwitchParameter Unrestricted { get; set; }

    protected override void ProcessRecord()
    {
        if (ResolveSession(Id) is not { } parent)
            return;
        Launch(RunRequest.ResumeOf(parent, LoadConfig().Config, Prompt, Options(Unrestricted), Mode, Model), null,
            $"Resume session {parent.Id}: {ClimuxSession.Abbreviate(Prompt, 60)}");
    }
}
