using Climux.Core.Config;
using Climux.Core.FanIn;
using Climux.Core.Git;
using Climux.Core.Quotas;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Worktrees;
using Climux.PowerShell.Cmdlets;

using Climux.Core.Workspaces;

namespace Climux.Cli;

/// <summary>An error the command itself reports: the cmdlets' error id, the message, the exit code.</summary>
public sealed class CliException(string errorId, string message, int exitCode = ExitCodes.BadInput) : Exception(message)
{
    public string ErrorId { get; } = errorId;
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// What an engine exception is called on the command line: the error id the cmdlets give it
/// (ErrorIds, shared with src/Climux.PowerShell) and an exit code (<see cref="ExitCodes"/>).
/// </summary>
public static class CliErrors
{
    public static (string ErrorId, int ExitCode) Describe(Exception exception) => exception switch
    {
        CliException e => (e.ErrorId, e.ExitCode),
        ConfigException => (ErrorIds.ConfigInvalid, ExitCodes.BadInput),
        StoreCorruptException => (ErrorIds.StoreCorrupt, ExitCodes.Failed),
        StoreVersionException => (ErrorIds.StoreTooNew, ExitCodes.Failed),
        StoreException => (ErrorIds.StoreUnavailable, ExitCodes.Failed),
        BudgetExceededException => (ErrorIds.BudgetExceeded, ExitCodes.BudgetRefused),
        DirectoryBusyException => (ErrorIds.WorktreeBusy, ExitCodes.Failed),
        SessionNotFoundException => (ErrorIds.SessionNotFound, ExitCodes.BadInput),
        WorkspaceAliasNotFoundException => (ErrorIds.WorkspaceAliasNotFound, ExitCodes.BadInput),
        StopTimeoutException => (ErrorIds.StopTimeout, ExitCodes.Failed),
        SessionActiveException => (ErrorIds.SessionActive, ExitCodes.Failed),
        RunRequestException e => (ErrorIds.Of(e.Kind), e.Kind == RunRequestProblem.SessionActive ? ExitCodes.Failed : ExitCodes.BadInput),
        WorktreeException e => (ErrorIds.Of(e.Problem), e.Problem is WorktreeProblem.InvalidName or WorktreeProblem.BaseNotFound ? ExitCodes.BadInput : ExitCodes.Failed),
        FanInException e => (ErrorIds.Of(e.Problem), ExitCodes.Failed),
        _ when GitErrors.IsGitFailure(exception) => (ErrorIds.WorktreeGitError, ExitCodes.Failed),
        _ => ("ClimuxUnexpected", ExitCodes.Failed),
    };

    /// <summary>Writes the error on stderr as <c>climux: error &lt;ErrorId&gt;: message</c> and returns its exit code.</summary>
    public static int Report(CliContext context, Exception exception)
    {
        var (errorId, exitCode) = Describe(exception);
        context.Error.WriteLine($"climux: {context.Paint("error", Ansi.Red)} {errorId}: {exception.Message}");
        return exitCode;
    }
}
