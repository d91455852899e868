using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Git;
using Climux.Core.Worktrees;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Removes worktrees of the current repository; refuses the main one always, and without -Force a dirty, locked or busy one, or one with unmerged commits.</summary>
/// <remarks>
/// <para>For each worktree, given by name or as a ClimuxWorktree from Get-ClimuxWorktree,
/// Remove-ClimuxWorktree reads its state again, then deletes its folder, prunes git's record of it and
/// drops Climux's record of it. With -DeleteBranch it also deletes its local
/// branch. The records of sessions that ran there are kept. Nothing is output.</para>
/// <para>It never removes the main worktree (ClimuxWorktreeIsMain, even with -Force, also when it is named
/// by its branch, such as main). Without -Force it
/// refuses a locked worktree (git worktree lock; ClimuxWorktreeLocked), one with a queued or running
/// session (ClimuxWorktreeActive), with uncommitted changes
/// or untracked files (ClimuxWorktreeDirty), or with commits that neither its base nor its upstream has
/// (ClimuxWorktreeUnmerged): merged or pushed work can go, unsaved work stays. With -Force it removes
/// those too, stopping their active sessions first. These errors and ClimuxWorktreeNotFound are
/// non-terminating, so the other worktrees are still removed. Outside a git repository it stops with
/// ClimuxNotInWorkspace; a folder that cannot be deleted gives ClimuxWorktreeRemoveFailed.</para>
/// <para>-WhatIf shows what would be removed; -Confirm asks before each worktree.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxWorktree experiment-* | Remove-ClimuxWorktree -DeleteBranch</code>
/// <para>Removes every experiment worktree and its branch; those with uncommitted work, unmerged commits or running agents are reported and kept.</para>
/// </example>
/// <example>
/// <code>Remove-ClimuxWorktree feature-auth, feature-api -WhatIf</code>
/// <para>Shows which worktrees would be removed, without removing them.</para>
/// </example>
/// <example>
/// <code>Remove-ClimuxWorktree experiment-cache -Force -DeleteBranch</code>
/// <para>Stops any agent running there, then removes the worktree and its branch, discarding uncommitted changes and unmerged commits.</para>
/// </example>
/// <example>
/// <code>try { Remove-ClimuxWorktree feature-login -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }</code>
/// <para>Prints the reason for a refusal, such as ClimuxWorktreeUnmerged,Climux.PowerShell.Cmdlets.RemoveClimuxWorktreeCommand when the branch has commits that were neither merged nor pushed.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "ClimuxWorktree", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
public sealed class RemoveClimuxWorktreeCommand : WorktreeCmdletBase
{
    private const string ByName = "Name";
    private const string ByObject = "InputObject";

    /// <summary>
    /// Names of the worktrees to remove, as Get-ClimuxWorktree shows them. Wildcards are not expanded:
    /// pipe Get-ClimuxWorktree with a pattern instead. Accepts pipeline input.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [ArgumentCompleter(typeof(WorktreeNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>
    /// Worktrees to remove, as Get-ClimuxWorktree outputs them, usually from the pipeline. Their state is
    /// read again before each removal.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
    public ClimuxWorktree[] InputObject { get; set; } = [];

    /// <summary>
    /// Removes a worktree even with uncommitted changes (which are lost), unmerged commits (which stay on
    /// the branch unless -DeleteBranch) or active sessions (which are stopped, their agents' process trees
    /// killed). Never removes the main worktree.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Also deletes the worktree's local branch once the worktree is removed, whether or not it was
    /// merged. Nothing is deleted for a detached HEAD.
    /// </summary>
    [Parameter]
    public SwitchParameter DeleteBranch { get; set; }

    protected override void ProcessRecord()
    {
        var manager = Worktrees();
        var targets = ParameterSetName == ByObject ? InputObject.Select(w => w.Name) : Name;
        foreach (var name in targets)
        {
            // Fresh state: it may have changed since Get-ClimuxWorktree read it. The main worktree's
            // branch name finds the main worktree, to be refused as such.
            var worktree = manager.FindForRemoval(name);
            if (worktree is null)
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"No worktree '{name}'."), ErrorIds.WorktreeNotFound, ErrorCategory.ObjectNotFound, name));
                continue;
            }
            try
            {
                Remove(manager, worktree);
            }
            catch (WorktreeException e)
            {
                WriteError(ErrorOf(e, worktree));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException || GitErrors.IsGitFailure(e))
            {
                WriteError(new ErrorRecord(new IOException($"Could not remove '{worktree.Name}' ({worktree.Path}): {e.Message}", e),
                    ErrorIds.WorktreeRemoveFailed, ErrorCategory.WriteError, worktree));
            }
        }
    }

    private void Remove(WorktreeManager manager, ClimuxWorktree worktree)
    {
        WorktreeManager.CheckRemovable(worktree, Force);
        var what = DeleteBranch && worktree.Branch is not null ? $"Remove the worktree and delete branch '{worktree.Branch}'" : "Remove the worktree";
        if (!ShouldProcess($"{worktree.Name} ({worktree.Path})", what))
            return;
        if (worktree.ActiveSessions > 0)
        {
            try
            {
                Engine.Sessions.StopInAsync(worktree, "Its worktree was removed with Remove-ClimuxWorktree -Force.", TimeSpan.FromSeconds(30), PipelineStopToken)
                    .GetAwaiter().GetResult();
            }
            catch (StopTimeoutException e)
            {
                WriteError(StopTimedOut(e.Session));
                return;
            }
        }
        manager.Remove(worktree, Force, DeleteBranch);
    }
}
