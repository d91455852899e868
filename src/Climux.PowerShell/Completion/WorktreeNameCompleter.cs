using Climux.Core.Paths;
using Climux.Core.Workspaces;
using Climux.PowerShell.Hosting;

namespace Climux.PowerShell.Completion;

/// <summary>Completes the worktree names of the current repository.</summary>
public sealed class WorktreeNameCompleter : ClimuxCompleter
{
    protected override IEnumerable<(string Value, string Tooltip)> Candidates(string currentDirectory)
    {
        var workspace = WorkspaceLocator.FindWorkspaceRoot(currentDirectory);
        if (workspace is null)
            return [];
        var manager = EngineCache.For(ClimuxHome.FromEnvironment(currentDirectory)).Worktrees(workspace, LoadConfig(currentDirectory).Config);
        return manager.Names().Select(name => (name, $"worktree {name}"));
    }
}
