using System.Management.Automation;
using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Paths;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Workspaces;
using Climux.PowerShell.Hosting;

namespace Climux.PowerShell.Cmdlets;

/// <summary>What every Climux cmdlet shares: where it is, its config and engine, and its errors.</summary>
public abstract class ClimuxCmdlet : PSCmdlet
{
    private ClimuxHome? _home;
    private ClimuxEngine? _engine;
    private (string? Root, bool Found) _workspace;
    private LoadedConfig? _config;

    /// <summary>PowerShell's current folder, which is not the process's working directory.</summary>
    protected string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    /// <summary>CLIMUX_HOME, read once per command; a folder other users may write to draws a warning.</summary>
    protected ClimuxHome Home
    {
        get
        {
            if (_home is null)
            {
                _home = ClimuxHome.FromEnvironment(CurrentDirectory);
                if (_home.PermissionWarning() is { } warning)
                    WriteWarning($"Climux: {warning}");
            }
            return _home;
        }
    }

    /// <summary>The repository (main worktree) the current folder belongs to; null outside git.</summary>
    protected string? WorkspaceRoot
    {
        get
        {
            if (!_workspace.Found)
                _workspace = (WorkspaceLocator.FindWorkspaceRoot(CurrentDirectory), true);
            return _workspace.Root;
        }
    }

    /// <summary>
    /// The user's and the project's config, read once per command (<see cref="ForgetConfig"/> after
    /// changing it); the project values the trust rules ignored are written as warnings.
    /// </summary>
    protected LoadedConfig LoadConfig()
    {
        try
        {
            if (_config is null)
            {
                _config = ConfigLoader.Load(Home, WorkspaceRoot);
                foreach (var warning in _config.Warnings)
                    WriteWarning($"Climux: {warning}");
            }
            return _config;
        }
        catch (ConfigException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, ErrorIds.ConfigInvalid, ErrorCategory.InvalidData, e.FilePath));
            throw; // not reached
        }
    }

    protected void ForgetConfig() => _config = null;

    /// <summary>The config file of a scope: the user's, or the current repository's (a terminating error outside one).</summary>
    protected string ConfigFilePath(ConfigScope scope)
    {
        if (scope == ConfigScope.User)
            return Home.ConfigFile;
        if (WorkspaceRoot is not { } workspace)
        {
            Fail(new InvalidOperationException($"'{CurrentDirectory}' is not inside a git repository, so it has no project config. " +
                "Change to the repository first, or use -Scope User."), ErrorIds.NotInWorkspace, ErrorCategory.ObjectNotFound, CurrentDirectory);
            return "";
        }
        return ConfigLoader.ProjectFile(workspace);
    }

    /// <summary>
    /// The engine of <see cref="Home"/>, kept for the life of this PowerShell process (its runs
    /// outlive the command that started them). A store that cannot be opened is a terminating
    /// ClimuxStoreCorrupt, ClimuxStoreUnavailable or ClimuxStoreTooNew error.
    /// </summary>
    protected ClimuxEngine Engine
    {
        get
        {
            if (_engine is not null)
                return _engine;
            try
            {
                return _engine = EngineCache.For(Home);
            }
            catch (StoreException e)
            {
                ThrowTerminatingError(StoreErrors.Record(e));
                throw; // not reached
            }
        }
    }

    protected void Fail(Exception exception, string errorId, ErrorCategory category, object? target) =>
        ThrowTerminatingError(new ErrorRecord(exception, errorId, category, target));

    /// <summary>The session a reference (id, name, id prefix) stands for; a non-terminating error and null when none.</summary>
    protected ClimuxSession? ResolveSession(string reference)
    {
        try
        {
            return Engine.Sessions.Resolve(reference);
        }
        catch (SessionNotFoundException e)
        {
            WriteError(new ErrorRecord(e, ErrorIds.SessionNotFound, ErrorCategory.ObjectNotFound, reference));
            return null;
        }
    }

    /// <summary>A stop that was asked for but had not taken effect when the wait ended.</summary>
    protected static ErrorRecord StopTimedOut(ClimuxSession session) =>
        new(new StopTimeoutException(session), ErrorIds.StopTimeout, ErrorCategory.OperationTimeout, session);

    protected static (string Id, ErrorCategory Category) ErrorOf(RunRequestProblem problem) => (ErrorIds.Of(problem), problem switch
    {
        RunRequestProblem.UnknownProvider or RunRequestProblem.DirectoryNotFound or RunRequestProblem.DependencyNotFound => ErrorCategory.ObjectNotFound,
        RunRequestProblem.ProviderNotInstalled => ErrorCategory.NotInstalled,
        RunRequestProblem.CannotResume => ErrorCategory.InvalidOperation,
        RunRequestProblem.SessionActive => ErrorCategory.ResourceBusy,
        _ => ErrorCategory.InvalidArgument,
    });
}
