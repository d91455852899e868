using System.Management.Automation;
using Climux.Core.Git;
using Climux.Core.Worktrees;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Creates a git worktree and its branch for one task, outside the repository, with untracked files such as .env copied in.</summary>
/// <remarks>
/// <para>New-ClimuxWorktree works on the git repository of the current location. It makes the worktree
/// in a folder named after it under worktrees.root (default $CLIMUX_HOME/worktrees), inside a folder per
/// repository named after the repository and a hash of its path, so it never shows in the repository's
/// own git status and never collides with another repository's; a worktrees.root inside the repository
/// is added to .git/info/exclude. The worktree checks out -Branch (default: the name): an existing
/// branch as it is, or a new one made at -Base (default: the tip of the default branch, the one
/// origin/HEAD names, else init.defaultBranch, main or master, else the current HEAD).</para>
/// <para>It then copies from the main worktree the files named by worktrees.copy (default .env) and those
/// matched by the repository's .worktreeinclude file (gitignore syntax), which git does not carry,
/// leaving alone any already there. Only files inside the repository are copied, symbolic links followed,
/// and none from its .git folder: an entry such as ../secret, or a link that leads outside, draws a
/// warning and is not copied. It outputs the new ClimuxWorktree as Get-ClimuxWorktree shows it.
/// Start-ClimuxRun -Worktree runs an agent in it; Remove-ClimuxWorktree removes it. With
/// worktrees.enforceNaming set, a name outside feature-*, bugfix-*, refactor-*, experiment-* and hotfix-*
/// draws a warning.</para>
/// <para>Non-terminating errors, per name: ClimuxWorktreeInvalidName (a name or -Branch with path
/// separators, "..", a leading "." or "-", whitespace or characters git refuses; one git reserves, such as
/// HEAD, FETCH_HEAD, ORIG_HEAD, MERGE_HEAD, @ or a name ending in .lock; or a name over 100 characters or
/// 200 bytes of UTF-8, which keeps its folder, branch and paths within every file system's limits), ClimuxWorktreeExists
/// (the name is taken, or its folder exists and is not empty), ClimuxWorktreeBaseNotFound (no such
/// -Base, or a repository without commits), ClimuxWorktreeBranchConflict (the branch is checked out in
/// another worktree, or exists at a commit other than -Base), ClimuxWorktreeDirtyBase (-Clean with
/// uncommitted changes) and ClimuxWorktreeGitError for other git failures. Outside a git repository it
/// stops with ClimuxNotInWorkspace. -WhatIf and -Confirm are supported.</para>
/// </remarks>
/// <example>
/// <code>'feature-auth', 'feature-api' | New-ClimuxWorktree</code>
/// <para>Creates two worktrees, on new branches feature-auth and feature-api at the default branch's tip, and outputs them.</para>
/// </example>
/// <example>
/// <code>New-ClimuxWorktree bugfix-123 -Base v2.4.1</code>
/// <para>Creates worktree bugfix-123 on a new branch bugfix-123 that starts at the tag v2.4.1.</para>
/// </example>
/// <example>
/// <code>New-ClimuxWorktree hotfix-login -Branch release/2.4</code>
/// <para>Creates worktree hotfix-login that checks out the existing branch release/2.4, which must not be checked out elsewhere.</para>
/// </example>
/// <example>
/// <code>New-ClimuxWorktree feature-search -Clean | ForEach-Object { Start-ClimuxRun 'Add full-text search to the product list' -Worktree $_.Name }</code>
/// <para>Refuses to start from a main worktree with uncommitted changes; otherwise creates the worktree and starts an agent in it.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "ClimuxWorktree", SupportsShouldProcess = true)]
[OutputType(typeof(ClimuxWorktree))]
public sealed class NewClimuxWorktreeCommand : WorktreeCmdletBase
{
    /// <summary>
    /// The worktree's name, which is also its folder's name and the default branch name, e.g.
    /// feature-login. No path separators, "..", whitespace, leading "." or "-", or characters git refuses
    /// in branch names. Conventions (warned about when worktrees.enforceNaming is set): feature-,
    /// bugfix-, refactor-, experiment-, hotfix-. Each name from the pipeline makes one worktree.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = "";

    /// <summary>
    /// The branch to check out; default: the name. An existing branch is checked out as it is (it must not
    /// be checked out in another worktree); a branch that does not exist is made at -Base.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Branch { get; set; }

    /// <summary>
    /// Branch, tag or commit a new branch starts from; default: the tip of the default branch. It is
    /// recorded as the worktree's base, which Get-ClimuxWorktree counts Ahead and Behind against. With an
    /// existing -Branch it must be that branch's current commit, else ClimuxWorktreeBranchConflict.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Base { get; set; }

    /// <summary>
    /// Refuses (ClimuxWorktreeDirtyBase) when the main worktree has uncommitted changes to tracked files,
    /// which the new worktree would not have. Untracked files do not count.
    /// </summary>
    [Parameter]
    public SwitchParameter Clean { get; set; }

    protected override void ProcessRecord()
    {
        var manager = Worktrees();
        try
        {
            foreach (var warning in manager.CheckName(Name))
                WriteWarning(warning);
            if (!ShouldProcess(System.IO.Path.Combine(manager.RepositoryFolder, Name), $"Create worktree on branch '{Branch ?? Name}'"))
                return;
            WriteObject(manager.Create(Name, Branch, Base, Clean, warn: WriteWarning));
        }
        catch (WorktreeException e)
        {
            WriteError(ErrorOf(e, Name));
        }
        catch (Exception e) when (GitErrors.IsGitFailure(e))
        {
            WriteError(new ErrorRecord(e, ErrorIds.WorktreeGitError, ErrorCategory.InvalidOperation, Name));
        }
    }
}
