using Climux.Core.Git;
using System.Management.Automation;
using Climux.Core.FanIn;
using Climux.Core.Runs;
using Climux.Core.Worktrees;
using Climux.PowerShell.Completion;
using Climux.PowerShell.Jobs;

namespace Climux.PowerShell.Cmdlets;

/// <summary>A merge queue: merges worktrees, one at a time and in order, into a target worktree's branch, behind an optional test command.</summary>
/// <remarks>
/// <para>For each worktree, in the order given (names, or the pipeline), Merge-ClimuxWorktree merges its branch
/// into the branch checked out in the -Into worktree: a fast-forward when the target has nothing the worktree
/// lacks, else a merge commit whose message names the worktree, its branch and its sessions (with -Squash, one
/// ordinary commit instead). Only committed work is merged; a worktree with uncommitted changes draws a warning.
/// It outputs one ClimuxMergeResult per worktree: Worktree, Into, Status, Commit (the target's commit
/// afterwards), Conflicts (paths), TestOutput, ResolutionSessionId and Message. Status is FastForward, Merged,
/// UpToDate (nothing new), Conflicted, TestFailed or Resolved (-ResolveWith).</para>
/// <para>A merge that would conflict is not made: the target stays exactly as it was (no conflict markers, no
/// merge in progress), the result is Conflicted with the paths, and the queue goes on with the next worktree;
/// with -ResolveWith an agent is asked to resolve it first, and Climux commits its resolution only once no
/// conflict markers and no unmerged index entries remain and -Test passes.
/// With -Test, the command runs after each merge through the platform's shell (/bin/sh -c, or cmd.exe /c on
/// Windows) in the target's folder, with a time limit (-TestTimeout); a non-zero exit, or running out of time,
/// undoes that merge (the target back at the commit before it): TestFailed, with the end of the output. A merged
/// branch is recorded under refs/climux/merged/, so Remove-ClimuxWorktree counts it as merged even when
/// squashed.</para>
/// <para>The target must be clean: uncommitted changes or untracked files stop the command with
/// ClimuxWorktreeDirty, as does a queued or running session there (ClimuxWorktreeBusy) or a detached HEAD
/// (ClimuxWorktreeDetached). The main worktree may be the target; the merge then goes into the branch it has
/// checked out. -WhatIf says, for each worktree, whether it would fast-forward, merge or conflict (and where), from
/// the same in-memory prediction as Get-ClimuxConflict, each prediction taking the ones before it as done. Per
/// worktree, ClimuxWorktreeNotFound and ClimuxMergeIntoItself are non-terminating errors.</para>
/// </remarks>
/// <example>
/// <code>New-ClimuxWorktree integration; Merge-ClimuxWorktree feature-auth, feature-api, feature-ui -Into integration</code>
/// <para>Merges three feature worktrees, in that order, into a fresh integration worktree; one that conflicts is reported and skipped.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxWorktree feature-* | Merge-ClimuxWorktree -Into integration -Test 'dotnet test' -TestTimeout 900</code>
/// <para>Merges every feature worktree and runs the tests after each merge; a merge that breaks them is undone and reported as TestFailed with the end of the test output.</para>
/// </example>
/// <example>
/// <code>Merge-ClimuxWorktree feature-auth, feature-api -Into integration -ResolveWith claude-code -Test 'npm test'</code>
/// <para>Lets Claude Code resolve any conflict in the integration worktree; Climux checks that no markers remain, runs the tests and commits the merge (Resolved, with the session in ResolutionSessionId), or undoes it.</para>
/// </example>
/// <example>
/// <code>Merge-ClimuxWorktree feature-auth, feature-api -Into integration -WhatIf</code>
/// <para>Says what each merge would do (fast-forward, merge, or conflict in which files) without merging anything.</para>
/// </example>
/// <example>
/// <code>Merge-ClimuxWorktree bugfix-42 -Into (Split-Path -Leaf (git rev-parse --show-toplevel)) -Squash</code>
/// <para>Squashes the bug fix into one commit on the branch checked out in the main worktree, which must be clean.</para>
/// </example>
/// <example>
/// <code>Merge-ClimuxWorktree refactor-a, refactor-b -Into integration | Where-Object Status -eq Conflicted | Select-Object Worktree, Conflicts</code>
/// <para>Lists the worktrees that could not be merged and the files they conflict on.</para>
/// </example>
[Cmdlet(VerbsData.Merge, "ClimuxWorktree", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClimuxMergeResult))]
public sealed class MergeClimuxWorktreeCommand : WorktreeCmdletBase
{
    /// <summary>
    /// Names of the worktrees to merge, in the order to merge them, as Get-ClimuxWorktree shows them. Wildcards are
    /// not expanded: pipe Get-ClimuxWorktree with a pattern instead. Accepts pipeline input.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(WorktreeNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>
    /// The worktree to merge into, e.g. an integration worktree made with New-ClimuxWorktree, or the main worktree
    /// (named after the repository's folder). Its checked-out branch receives the merges; it must be clean.
    /// </summary>
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(MergeTargetCompleter))]
    public string Into { get; set; } = "";

    /// <summary>
    /// A command to run in the target after each merge, through the platform's shell (/bin/sh -c, or cmd.exe /c on
    /// Windows), e.g. 'dotnet test' or 'npm test'. A non-zero exit undoes that merge: TestFailed.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Test { get; set; }

    /// <summary>Seconds the -Test command may run before it is stopped (its whole process tree) and the merge undone. Default 600.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int TestTimeout { get; set; } = 600;

    /// <summary>Makes one ordinary commit per worktree with all its changes, instead of a fast-forward or a merge commit.</summary>
    [Parameter]
    public SwitchParameter Squash { get; set; }

    /// <summary>
    /// On a conflict, leaves the conflicted merge in the target and starts an agent of this provider there (a normal
    /// session, under the quotas, Task mode) with a prompt that lists the conflicted files and what each side was for
    /// (the prompts of their sessions). When it ends, Climux checks that no conflict markers and no unmerged index
    /// entries remain, runs -Test if given, and commits a merge commit with both parents: Resolved, with the session
    /// in ResolutionSessionId. If the agent fails or leaves markers, the merge is undone: Conflicted, with the session.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string? ResolveWith { get; set; }

    private MergeQueue? _queue;
    private ClimuxWorktree? _target;
    private HostQueue? _host;

    protected override void BeginProcessing()
    {
        var manager = Worktrees();
        _target = manager.Find(Into);
        if (_target is null)
        {
            ThrowTerminatingError(NotFound(Into));
            return;
        }
        if (_target.ActiveSessions > 0)
            Fail(new InvalidOperationException($"'{_target.Name}' has {_target.ActiveSessions} queued or running session(s): an agent may be writing there. Wait for them first."),
                ErrorIds.WorktreeBusy, ErrorCategory.ResourceBusy, _target);
        var resolver = ResolveWith is null ? null : Resolver(ResolveWith);
        try
        {
            _queue = new MergeQueue(manager, _target, new MergeQueueOptions
            {
                Test = Test,
                TestTimeout = TimeSpan.FromSeconds(TestTimeout),
                Squash = Squash,
                Resolver = resolver,
                SessionsOf = SessionsIn,
            });
            _queue.EnsureClean();
        }
        catch (WorktreeException e)
        {
            ThrowTerminatingError(ErrorOf(e, _target));
        }
        catch (FanInException e)
        {
            ThrowTerminatingError(ErrorOf(e, _target));
        }
    }

    protected override void ProcessRecord()
    {
        var manager = Worktrees();
        foreach (var name in Name)
        {
            var source = manager.Find(name);
            if (source is null)
            {
                WriteError(NotFound(name));
                continue;
            }
            if (source.Path == _target!.Path)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"'{name}' is the worktree merged into (-Into); it cannot be merged into itself."),
                    ErrorIds.MergeIntoItself, ErrorCategory.InvalidArgument, name));
                continue;
            }
            try
            {
                Merge(source);
            }
            catch (WorktreeException e)
            {
                // The target became dirty or busy: nothing after this can be merged either.
                ThrowTerminatingError(ErrorOf(e, _target));
            }
            catch (FanInException e)
            {
                WriteError(ErrorOf(e, source));
            }
            catch (Exception e) when (GitErrors.IsGitFailure(e))
            {
                WriteError(new ErrorRecord(e, ErrorIds.WorktreeGitError, ErrorCategory.InvalidOperation, source));
            }
        }
    }

    private void Merge(ClimuxWorktree source)
    {
        if (source.Dirty)
            WriteWarning($"'{source.Name}' has uncommitted changes; only its commits are merged.");
        var plan = _queue!.Plan(source);
        var what = $"'{source.Name}' into '{_target!.Name}' ({_target.Branch})";
        if (!ShouldProcess($"Merging {what}: {plan}.", $"Merge {what}? Predicted: {plan}.", "Merge-ClimuxWorktree", out var reason))
        {
            if (reason == ShouldProcessReason.WhatIf)
                _queue.Assume(plan);
            return;
        }
        // A resolution run reports on the pipeline thread while the merge waits for it.
        _host = new HostQueue();
        WriteObject(_host.Run(_queue.MergeAsync(source, PipelineStopToken), PipelineStopToken));
    }

    /// <summary>The agent resolver, its run checked now (provider known and installed) so that a mistake stops the command before any merge.</summary>
    private AgentConflictResolver Resolver(string provider)
    {
        var resolver = new AgentConflictResolver(Engine, LoadConfig().Config, provider);
        try
        {
            Engine.Runs.Check(resolver.Request(_target!.Path, _target.IsMain ? null : _target.Name, "Resolve merge conflicts."));
        }
        catch (RunRequestException e)
        {
            var (id, category) = ErrorOf(e.Kind);
            ThrowTerminatingError(new ErrorRecord(e, id, category, provider));
        }
        resolver.Queued += handle =>
        {
            var host = _host;
            handle.Updated += update => host?.Post(() => RunRecords.Show(this, update));
        };
        return resolver;
    }
}
