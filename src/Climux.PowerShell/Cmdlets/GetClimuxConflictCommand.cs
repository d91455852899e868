using System.Management.Automation;
using Climux.Core.FanIn;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Predicts the conflicts that merging would produce between every pair of worktrees, and between each and its base branch, without touching any of them.</summary>
/// <remarks>
/// <para>For every pair of the worktrees named (default: every worktree but the main one), and for each worktree
/// and the current tip of the branch it was made from, Get-ClimuxConflict merges their states in memory with
/// libgit2 and outputs one ClimuxConflict per conflicted path: Worktree, Other (the other worktree's name, or
/// the base branch's name), Path (the path in the merged result) and Kind: Content (both changed the same
/// lines; also two different kinds of file at one path), AddAdd (both added a different file at one path,
/// including a rename onto an added file and a file where the other has a folder), ModifyDelete (one changed
/// what the other deleted) or Rename (one renamed what the other deleted, both renamed a file differently, or a
/// file was added in a folder the other moved away). Nothing is output when everything merges cleanly.</para>
/// <para>A worktree's state includes its uncommitted work (staged, unstaged and untracked files that are not
/// ignored), taken as a tree without changing its working folder, index, HEAD or any branch. The prediction
/// agrees with git merge-tree --write-tree on the same two states, and Merge-ClimuxWorktree -WhatIf uses the
/// same prediction. A -Name without wildcards that matches no worktree writes a non-terminating
/// ClimuxWorktreeNotFound error; outside a git repository it stops with ClimuxNotInWorkspace.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxConflict</code>
/// <para>Lists every conflict between the repository's worktrees, and between each and its base branch.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxConflict feature-auth, feature-api</code>
/// <para>Only the pair feature-auth and feature-api, and each against its base branch.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxConflict refactor-* | Group-Object Worktree, Other | Select-Object Name, Count</code>
/// <para>How many files each pair of refactoring worktrees would conflict on: the pairs to merge (or re-plan) with care.</para>
/// </example>
/// <example>
/// <code>if (-not (Get-ClimuxConflict)) { Get-ClimuxWorktree feature-* | Merge-ClimuxWorktree -Into integration }</code>
/// <para>Merges the feature worktrees only when nothing would conflict.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ClimuxConflict")]
[OutputType(typeof(ClimuxConflict))]
public sealed class GetClimuxConflictCommand : WorktreeReportCmdletBase
{
    protected override IEnumerable<object> Report(IReadOnlyCollection<string> names) => new ConflictFinder(Worktrees()).Find(names);
}
