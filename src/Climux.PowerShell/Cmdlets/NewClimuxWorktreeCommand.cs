using System.Management.Automation;
using Climux.Core.Worktrees;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Creates a worktree and its branch for one task, outside the repository, with files like .env copied in.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "ClimuxWorktree", SupportsShouldProcess = true)]
[OutputType(typeof(ClimuxWorktree))]
public sealed class NewClimuxWorktreeCommand : WorktreeCmdletBase
{
    /// <summary>The worktree's name, e.g. feature-login (conventions: feature-, bugfix-, refactor-, experiment-, hotfix-).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = "";

    /// <summary>The branch to work on; default: the name. An existing branch is checked out, a new one made at -Base.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Branch { get; set; }

    /// <summary>Branch, tag or commit a new branch starts from; default: the default branch's tip.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Base { get; set; }

    /// <summary>Refuses when the main worktree has uncommitted changes (the new worktree would not have them).</summary>
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
            WriteObject(manager.Create(Name, Branch, Base, Clean));
        }
        catch (WorktreeException e)
        {
            WriteError(ErrorOf(e, Name));
        }
        catch (LibGit2Sharp.LibGit2SharpException e)
        {
            WriteError(new ErrorRecord(e, "ClimuxWorktreeGitError", ErrorCategory.InvalidOperation, Name));
        }
    }
}
