using System.Management.Automation;
using Climux.Core.FanIn;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Lists the files each worktree changed against its base, committed and uncommitted work together, with lines added and removed.</summary>
/// <remarks>
/// <para>Outputs one ClimuxWorktreeChange per changed file per worktree, sorted by worktree and path: Worktree,
/// Path, OldPath (the path at the base, for a rename), Status (Added, Modified, Deleted, Renamed), LinesAdded,
/// LinesRemoved and Binary; with -Patch also Patch, the file's unified diff. A worktree's base is the merge base
/// of its HEAD with the branch (or commit) it was made from, so commits that arrived on that branch since do not
/// show. Its state includes uncommitted work: staged and unstaged edits, deletions and untracked files that are
/// not ignored (the files Climux copied in, such as .env, aside).</para>
/// <para>Nothing is changed: no working folder, index or branch is touched. Without -Name, every worktree but the
/// main one is read. A -Name without wildcards that matches no worktree writes a non-terminating
/// ClimuxWorktreeNotFound error. Outside a git repository it stops with ClimuxNotInWorkspace.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxWorktreeChange</code>
/// <para>Lists what every worktree of the current repository changed, one row per file.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxWorktreeChange feature-* | Group-Object Worktree | Select-Object Name, Count</code>
/// <para>Counts the changed files of each feature worktree.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxWorktreeChange feature-auth -Patch | Where-Object Path -like 'src/*' | ForEach-Object Patch</code>
/// <para>Prints the diff of every file under src/ that feature-auth changed, for review before merging.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxWorktree refactor-* | Get-ClimuxWorktreeChange | Measure-Object LinesAdded, LinesRemoved -Sum</code>
/// <para>Sums the lines added and removed by the refactoring worktrees.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ClimuxWorktreeChange")]
[OutputType(typeof(ClimuxWorktreeChange))]
public sealed class GetClimuxWorktreeChangeCommand : WorktreeReportCmdletBase
{
    /// <summary>Adds each file's unified diff against the base, in the Patch property.</summary>
    [Parameter]
    public SwitchParameter Patch { get; set; }

    protected override IEnumerable<object> Report(IReadOnlyCollection<string> names) => new WorktreeChanges(Worktrees()).Read(names, Patch);
}
