using Climux.Core.Paths;
using Climux.Core.Workspaces;
using Climux.PowerShell.Hosting;

namespace Climux.PowerShell.Completion;

/// <summary>Completes the worktree names of the current repository.</summary>
public class WorktreeNameCompleter : ClimuxCompleter
{
    /// <summary>Offer the main worktree (the repository's own folder) too.</summary>
    protected virtual bool IncludeMain => false;

    protected override IEnumerable<(string Value, string Tooltip)> Candidates(string currentDirectory)
    {
        var workspace = WorkspaceLocator.FindWorkspaceRoot(currentDirectory);
        if (workspace is null)
            return [];
        var manager = EngineCache.For(ClimuxHome.FromEnvironment(currentDirectory)).Worktrees(workspace, LoadConfig(currentDirectory).Config);
        var names = manager.Names().Select(name => (name, $"worktree {name}"));
        return IncludeMain ? names.Prepend((Path.GetFileName(workspace), $"the main worktree ({workspace})")) : names;
    }
}

/// <summary>Completes the worktrees a merge can go into: the main one and the others.</summary>
public sealed class MergeTargetCompleter : WorktreeNameCompleter
{
    protected override bool IncludeMain => true;
}
