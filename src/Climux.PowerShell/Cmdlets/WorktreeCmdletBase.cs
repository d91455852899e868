using System.Management.Automation;
using Climux.Core.Worktrees;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Shared by the worktree cmdlets: the current repository's worktrees, and their errors.</summary>
public abstract class WorktreeCmdletBase : ClimuxCmdlet
{
    /// <summary>The manager for the repository of the current location; a terminating error outside git.</summary>
    protected WorktreeManager Worktrees()
    {
        var workspace = WorkspaceRoot;
        if (workspace is null)
            Fail(new InvalidOperationException($"'{CurrentDirectory}' is not inside a git repository. Change to the repository whose worktrees you mean."),
                ErrorIds.NotInWorkspace, ErrorCategory.ObjectNotFound, CurrentDirectory);
        return new WorktreeManager(Home, LoadConfig().Config, workspace!);
    }

    protected static ErrorRecord ErrorOf(WorktreeException e, object? target) => new(e, e.Problem switch
    {
        WorktreeProblem.InvalidName => ErrorIds.WorktreeInvalidName,
        WorktreeProblem.Exists => ErrorIds.WorktreeExists,
        WorktreeProblem.NotFound => ErrorIds.WorktreeNotFound,
        WorktreeProblem.BaseNotFound => ErrorIds.WorktreeBaseNotFound,
        WorktreeProblem.DirtyBase => ErrorIds.WorktreeDirtyBase,
        WorktreeProblem.BranchExists or WorktreeProblem.BranchCheckedOut => ErrorIds.WorktreeBranchConflict,
        WorktreeProblem.IsMain => ErrorIds.WorktreeIsMain,
        WorktreeProblem.Dirty => ErrorIds.WorktreeDirty,
        WorktreeProblem.Unmerged => ErrorIds.WorktreeUnmerged,
        WorktreeProblem.Active => ErrorIds.WorktreeActive,
        WorktreeProblem.Locked => ErrorIds.WorktreeLocked,
        _ => ErrorIds.NotInWorkspace,
    }, e.Problem switch
    {
        WorktreeProblem.InvalidName => ErrorCategory.InvalidArgument,
        WorktreeProblem.Exists or WorktreeProblem.BranchExists => ErrorCategory.ResourceExists,
        WorktreeProblem.NotFound or WorktreeProblem.BaseNotFound => ErrorCategory.ObjectNotFound,
        WorktreeProblem.Active or WorktreeProblem.BranchCheckedOut or WorktreeProblem.Locked => ErrorCategory.ResourceBusy,
        _ => ErrorCategory.InvalidOperation,
    }, target);
}
