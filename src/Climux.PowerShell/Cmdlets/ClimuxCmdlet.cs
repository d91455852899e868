using System.Management.Automation;
using Climux.Core.Config;
using Climux.Core.Paths;
using Climux.Core.Store;
using Climux.Core.Workspaces;

namespace Climux.PowerShell.Cmdlets;

/// <summary>What every Climux cmdlet shares: where it is, its config and store, and its errors.</summary>
public abstract class ClimuxCmdlet : PSCmdlet
{
    /// <summary>PowerShell's current folder, which is not the process's working directory.</summary>
    protected string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    protected ClimuxHome Home => ClimuxHome.FromEnvironment(CurrentDirectory);

    /// <summary>The repository (main worktree) the current folder belongs to; null outside git.</summary>
    protected string? WorkspaceRoot => WorkspaceLocator.FindWorkspaceRoot(CurrentDirectory);

    protected LoadedConfig LoadConfig()
    {
        try
        {
            return ConfigLoader.Load(Home, WorkspaceRoot);
        }
        catch (ConfigException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, ErrorIds.ConfigInvalid, ErrorCategory.InvalidData, e.FilePath));
            throw; // not reached
        }
    }

    protected ClimuxStore OpenStore()
    {
        try
        {
            return ClimuxStore.Open(Home);
        }
        catch (StoreVersionException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, ErrorIds.StoreTooNew, ErrorCategory.InvalidData, e.StorePath));
            throw;
        }
    }

    protected void Fail(Exception exception, string errorId, ErrorCategory category, object? target) =>
        ThrowTerminatingError(new ErrorRecord(exception, errorId, category, target));
}
