using System.Management.Automation;
using Climux.Core.FanIn;
using Climux.Core.Sessions;
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

    /// <summary>
    /// The names of the worktrees that <paramref name="patterns"/> match (wildcards allowed), in order,
    /// with a ClimuxWorktreeNotFound error for each plain name that matches none; with no patterns,
    /// every worktree but the main one.
    /// </summary>
    protected IReadOnlyList<string> MatchNames(IReadOnlyCollection<string> patterns)
    {
        var all = Worktrees().Locate(_ => true);
        if (patterns.Count == 0)
            return [.. all.Where(w => !w.IsMain).Select(w => w.Name)];
        var wildcards = patterns.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        var names = all.Where(w => wildcards.Any(p => p.IsMatch(w.Name))).Select(w => w.Name).ToList();
        ReportMissing(patterns, names);
        return names;
    }

    /// <summary>A ClimuxWorktreeNotFound error for each name without wildcards that is not among <paramref name="found"/>.</summary>
    protected void ReportMissing(IEnumerable<string> patterns, IReadOnlyCollection<string> found)
    {
        foreach (var name in patterns.Where(n => !WildcardPattern.ContainsWildcardCharacters(n) && !found.Contains(n, StringComparer.OrdinalIgnoreCase)))
            WriteError(NotFound(name));
    }

    protected static ErrorRecord NotFound(string name) =>
        new(new ItemNotFoundException($"No worktree '{name}'. List them with: Get-ClimuxWorktree"), ErrorIds.WorktreeNotFound, ErrorCategory.ObjectNotFound, name);

    /// <summary>The sessions run in a worktree of the current repository, oldest first.</summary>
    protected IReadOnlyList<ClimuxSession> SessionsIn(string worktree) =>
        Engine.Sessions.Find(new SessionFilter { Workspace = Worktrees().Workspace, Worktree = worktree });

    protected static ErrorRecord ErrorOf(FanInException e, object? target) => new(e, ErrorIds.Of(e.Problem), e.Problem switch
    {
        FanInProblem.GitNotFound or FanInProblem.GhNotFound => ErrorCategory.NotInstalled,
        FanInProblem.RemoteNotFound => ErrorCategory.ObjectNotFound,
        FanInProblem.PushFailed or FanInProblem.PullRequestFailed => ErrorCategory.WriteError,
        _ => ErrorCategory.InvalidOperation,
    }, target);

    protected static ErrorRecord ErrorOf(WorktreeException e, object? target) => new(e, ErrorIds.Of(e.Problem), e.Problem switch
    {
        WorktreeProblem.InvalidName => ErrorCategory.InvalidArgument,
        WorktreeProblem.Exists or WorktreeProblem.BranchExists => ErrorCategory.ResourceExists,
        WorktreeProblem.BaseNotFound => ErrorCategory.ObjectNotFound,
        WorktreeProblem.Active or WorktreeProblem.BranchCheckedOut or WorktreeProblem.Locked => ErrorCategory.ResourceBusy,
        _ => ErrorCategory.InvalidOperation,
    }, target);
}
