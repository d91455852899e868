using System.Management.Automation;
using Climux.Core.Worktrees;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Shared by the worktree cmdlets: the current repository's worktrees, and their errors.</summary>
public abstract class WorktreeCmdletBase : ClimuxCmdlet
{
    private WorktreeManager? _manager;

    /// <summary>The manager for the repository of the current location, made once per command; a terminating error outside git.</summary>
    protected WorktreeManager Worktrees()
    {
        if (_manager is not null)
            return _manager;
        var workspace = WorkspaceRoot;
        if (workspace is null)
            Fail(new InvalidOperationException($"'{CurrentDirectory}' is not inside a git repository. Change to the repository whose worktrees you mean."),
                ErrorIds.NotInWorkspace, ErrorCategory.ObjectNotFound, CurrentDirectory);
        return _manager = Engine.Worktrees(workspace!, LoadConfig().Config);
    }

    protected static ErrorRecord ErrorOf(WorktreeException e, object? target) => new(e, e.Problem switch
    {
        WorktreeProblem.InvalidName => ErrorIds.WorktreeInvalidName,
        WorktreeProblem.Exists => ErrorIds.WorktreeExists,
        WorktreeProblem.BaseNotFound => ErrorIds.WorktreeBaseNotFound,
        WorktreeProblem.DirtyBase => ErrorIds.WorktreeDirtyBase,
        WorktreeProblem.BranchExists or WorktreeProblem.BranchCheckedOut => ErrorIds.WorktreeBranchConflict,
        WorktreeProblem.IsMain => ErrorIds.WorktreeIsMain,
        WorktreeProblem.Dirty => ErrorIds.WorktreeDirty,
        WorktreeProblem.Unmerged => ErrorIds.WorktreeUnmerged,
        WorktreeProblem.Active => ErrorIds.WorktreeActive,
        WorktreeProblem.Locked => ErrorIds.WorktreeLocked,
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.Problem, "a worktree problem without an error id"),
    }, e.Problem switch
    {
        WorktreeProblem.InvalidName => ErrorCategory.InvalidArgument,
        WorktreeProblem.Exists or WorktreeProblem.BranchExists => ErrorCategory.ResourceExists,
        WorktreeProblem.BaseNotFound => ErrorCategory.ObjectNotFound,
        WorktreeProblem.Active or WorktreeProblem.BranchCheckedOut or WorktreeProblem.Locked => ErrorCategory.ResourceBusy,
        _ => ErrorCategory.InvalidOperation,
    }, target);
}
