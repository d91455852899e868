using System.Management.Automation;
using Climux.Core.Worktrees;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Lists the current repository's worktrees with their branch, head, dirty state, ahead/behind their base, sessions and last activity.</summary>
/// <remarks>
/// <para>Outputs a ClimuxWorktree for the main worktree (named after the repository's folder, IsMain
/// true) and then, sorted by name, for every linked worktree, whether New-ClimuxWorktree made it
/// (Managed true) or git itself. Each has Name, Path, Workspace, Branch (null on a detached HEAD), Head
/// (short commit id), IsMain, Managed, Locked, Dirty (uncommitted changes or untracked files, other than
/// the worktrees.copy files), Base (the branch or commit it started from; the default branch for
/// worktrees git made), Ahead and Behind (commits relative to Base), Unmerged (commits that neither Base
/// nor the branch's upstream has), ActiveSessions and TotalSessions (Climux sessions run in its folder)
/// and LastActivity (the latest of its last commit, its last session and its creation).</para>
/// <para>The state is read from git on each call. A -Name without wildcards that matches no worktree
/// writes a non-terminating ClimuxWorktreeNotFound error. Outside a git repository it stops with
/// ClimuxNotInWorkspace. The output pipes into Remove-ClimuxWorktree, and a Name goes to
/// Start-ClimuxRun -Worktree.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxWorktree</code>
/// <para>Lists the main worktree and every other worktree of the current repository.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxWorktree feature-* | Format-Table Name, Branch, Dirty, Ahead, Behind, ActiveSessions</code>
/// <para>Shows the state of the feature worktrees: uncommitted work, commits ahead of and behind their base, and agents still running.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxWorktree bugfix-* | ForEach-Object { git -C $_.Path push origin $_.Branch }</code>
/// <para>Pushes the branch of every bug-fix worktree.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxWorktree experiment-* | Remove-ClimuxWorktree -DeleteBranch</code>
/// <para>Removes every experiment worktree and its branch, except those that are dirty, unmerged or busy, which are reported.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ClimuxWorktree")]
[OutputType(typeof(ClimuxWorktree))]
public sealed class GetClimuxWorktreeCommand : WorktreeCmdletBase
{
    /// <summary>
    /// Names of the worktrees to show; wildcards allowed. All worktrees, the main one first, when omitted.
    /// Accepts pipeline input.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(WorktreeNameCompleter))]
    public string[]? Name { get; set; }

    private readonly List<string> _names = [];

    protected override void ProcessRecord()
    {
        if (Name is not null)
            _names.AddRange(Name);
    }

    protected override void EndProcessing()
    {
        var patterns = _names.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        var worktrees = Worktrees().List(name => patterns.Count == 0 || patterns.Any(p => p.IsMatch(name)));
        ReportMissing(_names, [.. worktrees.Select(w => w.Name)]);
        WriteObject(worktrees, enumerateCollection: true);
    }
}
