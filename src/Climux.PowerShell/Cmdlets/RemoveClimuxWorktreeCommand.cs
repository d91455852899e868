using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Worktrees;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Removes worktrees: refuses the main one always, and without -Force a dirty one, one with unmerged commits, or one with an active session.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ClimuxWorktree", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
public sealed class RemoveClimuxWorktreeCommand : WorktreeCmdletBase
{
    private const string ByName = "Name";
    private const string ByObject = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [ArgumentCompleter(typeof(WorktreeNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
    public ClimuxWorktree[] InputObject { get; set; } = [];

    /// <summary>Removes it even with uncommitted changes, unmerged commits or active sessions (which are stopped). Never the main worktree.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Deletes its branch too.</summary>
    [Parameter]
    public SwitchParameter DeleteBranch { get; set; }

    private WorktreeManager? _manager;

    protected override void ProcessRecord()
    {
        _manager ??= Worktrees();
        var targets = ParameterSetName == ByObject ? InputObject.Select(w => w.Name) : Name;
        foreach (var name in targets)
        {
            // Fresh state: it may have changed since Get-ClimuxWorktree read it.
            var worktree = _manager.Find(name);
            if (worktree is null)
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"No worktree '{name}'."), ErrorIds.WorktreeNotFound, ErrorCategory.ObjectNotFound, name));
                continue;
            }
            try
            {
                Remove(_manager, worktree);
            }
            catch (WorktreeException e)
            {
                WriteError(ErrorOf(e, worktree));
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
            var repository = Sessions();
            foreach (var session in repository.Find(new SessionFilter { Statuses = SessionStatuses.Active, Workspace = worktree.Workspace })
                         .Where(s => s.Directory.TrimEnd('/') == worktree.Path))
                SessionControl.StopAsync(Home, session.Id, "Its worktree was removed with Remove-ClimuxWorktree -Force.", TimeSpan.FromSeconds(30), PipelineStopToken)
                    .GetAwaiter().GetResult();
        }
        manager.Remove(worktree, Force, DeleteBranch);
    }
}
