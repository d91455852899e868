using System.Management.Automation;
using Climux.Core.FanIn;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Pushes worktree branches with your own git and sets their upstream; with -PullRequest, opens a pull request with gh.</summary>
/// <remarks>
/// <para>For each worktree, Publish-ClimuxWorktree runs git push --set-upstream &lt;remote&gt; &lt;branch&gt; in its folder
/// with the git on your PATH, so your credential helpers and SSH keys are used, and outputs a ClimuxPublishResult:
/// Worktree, Branch, Remote, Pushed and PullRequestUrl. Only committed work is pushed; a worktree with uncommitted
/// changes draws a warning.</para>
/// <para>With -PullRequest it then runs gh pr create for the branch, against the branch the worktree was made
/// from: the title is -Title, else the first line of the worktree's first session's prompt; the body lists the
/// sessions (provider, model, status, prompt and result), the files changed and their cost. -Draft opens a draft.</para>
/// <para>Errors say what to do: ClimuxGitNotFound (git is not on PATH), ClimuxGhNotFound (-PullRequest without gh;
/// checked before anything is pushed) and ClimuxRemoteNotFound (no such remote; add one with git remote add) stop
/// the command. Per worktree: ClimuxWorktreeNotFound, ClimuxWorktreeDetached (no branch), ClimuxPushFailed (git's
/// reason, e.g. a rejected push) and ClimuxPullRequestFailed (gh's reason; the branch was pushed). -WhatIf and
/// -Confirm are supported.</para>
/// </remarks>
/// <example>
/// <code>Publish-ClimuxWorktree feature-auth</code>
/// <para>Pushes branch feature-auth to origin and makes origin/feature-auth its upstream.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxWorktree feature-* | Publish-ClimuxWorktree -PullRequest -Draft</code>
/// <para>Pushes every feature worktree and opens a draft pull request for each, described from its sessions.</para>
/// </example>
/// <example>
/// <code>Merge-ClimuxWorktree feature-a, feature-b -Into integration; Publish-ClimuxWorktree integration -PullRequest -Title 'Features A and B'</code>
/// <para>Merges two worktrees into an integration worktree, then publishes that one as a single pull request.</para>
/// </example>
/// <example>
/// <code>Publish-ClimuxWorktree bugfix-12 -Remote fork -WhatIf</code>
/// <para>Says what would be pushed to the remote named fork, without pushing.</para>
/// </example>
[Cmdlet(VerbsData.Publish, "ClimuxWorktree", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClimuxPublishResult))]
public sealed class PublishClimuxWorktreeCommand : WorktreeCmdletBase
{
    /// <summary>
    /// Names of the worktrees to publish, as Get-ClimuxWorktree shows them. Wildcards are not expanded: pipe
    /// Get-ClimuxWorktree with a pattern instead. Accepts pipeline input.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(WorktreeNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The git remote to push to. Default: origin.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Remote { get; set; } = "origin";

    /// <summary>Also opens a pull request with gh pr create (GitHub CLI, which must be installed and logged in).</summary>
    [Parameter]
    public SwitchParameter PullRequest { get; set; }

    /// <summary>The pull request's title. Default: the first line of the worktree's first session's prompt, else the branch name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    /// <summary>Opens the pull request as a draft. Needs -PullRequest.</summary>
    [Parameter]
    public SwitchParameter Draft { get; set; }

    protected override void ProcessRecord()
    {
        var manager = Worktrees();
        var publisher = new Publisher(manager);
        var options = new PublishOptions { Remote = Remote, PullRequest = PullRequest, Title = Title, Draft = Draft };
        foreach (var name in Name)
        {
            var worktree = manager.Find(name);
            if (worktree is null)
            {
                WriteError(NotFound(name));
                continue;
            }
            try
            {
                publisher.Check(worktree, options);
                var what = PullRequest ? $"Push to {Remote}, set the upstream and open a pull request" : $"Push to {Remote} and set the upstream";
                if (!ShouldProcess($"{worktree.Name} (branch {worktree.Branch})", what))
                    continue;
                if (worktree.Dirty)
                    WriteWarning($"'{worktree.Name}' has uncommitted changes; only its commits are pushed.");
                WriteObject(publisher.PublishAsync(worktree, options, SessionsIn(worktree.Name), PipelineStopToken).GetAwaiter().GetResult());
            }
            catch (FanInException e) when (e.Problem is FanInProblem.GitNotFound or FanInProblem.GhNotFound or FanInProblem.RemoteNotFound)
            {
                ThrowTerminatingError(ErrorOf(e, worktree));
            }
            catch (FanInException e)
            {
                WriteError(ErrorOf(e, worktree));
            }
        }
    }
}
