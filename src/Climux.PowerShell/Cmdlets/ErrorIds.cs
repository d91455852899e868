using Climux.Core.FanIn;
using Climux.Core.Runs;
using Climux.Core.Worktrees;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// Stable error ids: scripts match on them (<c>$_.FullyQualifiedErrorId -like 'ClimuxConfigInvalid,*'</c>).
/// The climux command (src/Climux.Cli) compiles this file too and prints the same ids; it names no PowerShell type.
/// </summary>
public static class ErrorIds
{
    public const string ConfigInvalid = "ClimuxConfigInvalid";
    public const string ConfigKeyInvalid = "ClimuxConfigKeyInvalid";
    public const string ConfigValueInvalid = "ClimuxConfigValueInvalid";
    public const string ConfigExists = "ClimuxConfigExists";
    public const string NotInWorkspace = "ClimuxNotInWorkspace";
    public const string StoreTooNew = "ClimuxStoreTooNew";
    public const string StoreCorrupt = "ClimuxStoreCorrupt";
    public const string StoreUnavailable = "ClimuxStoreUnavailable";
    public const string StoreNotShared = "ClimuxStoreNotShared";
    public const string ProviderNotFound = "ClimuxProviderNotFound";
    public const string ProviderNotInstalled = "ClimuxProviderNotInstalled";
    public const string DirectoryNotFound = "ClimuxDirectoryNotFound";
    public const string DependencyNotFound = "ClimuxDependencyNotFound";
    public const string CannotResume = "ClimuxCannotResume";
    public const string InvalidRunOptions = "ClimuxInvalidRunOptions";
    public const string SessionNotFound = "ClimuxSessionNotFound";
    public const string SessionActive = "ClimuxSessionActive";
    public const string RunFailed = "ClimuxRunFailed";
    public const string RunTimedOut = "ClimuxRunTimedOut";
    public const string WaitTimeout = "ClimuxWaitTimeout";
    public const string StopTimeout = "ClimuxStopTimeout";
    public const string ExportFileExists = "ClimuxExportFileExists";
    public const string ExportFailed = "ClimuxExportFailed";
    public const string StatsInvalidRange = "ClimuxStatsInvalidRange";
    public const string WorktreeGitError = "ClimuxWorktreeGitError";
    public const string WorktreeRemoveFailed = "ClimuxWorktreeRemoveFailed";
    public const string BudgetExceeded = "ClimuxBudgetExceeded";
    public const string WorktreeBusy = "ClimuxWorktreeBusy";
    public const string WorktreeInvalidName = "ClimuxWorktreeInvalidName";
    public const string WorktreeExists = "ClimuxWorktreeExists";
    public const string WorktreeNotFound = "ClimuxWorktreeNotFound";
    public const string WorktreeBaseNotFound = "ClimuxWorktreeBaseNotFound";
    public const string WorktreeDirtyBase = "ClimuxWorktreeDirtyBase";
    public const string WorktreeBranchConflict = "ClimuxWorktreeBranchConflict";
    public const string WorktreeIsMain = "ClimuxWorktreeIsMain";
    public const string WorktreeDirty = "ClimuxWorktreeDirty";
    public const string WorktreeUnmerged = "ClimuxWorktreeUnmerged";
    public const string WorktreeActive = "ClimuxWorktreeActive";
    public const string WorktreeLocked = "ClimuxWorktreeLocked";
    public const string WorktreeDetached = "ClimuxWorktreeDetached";
    public const string MergeIntoItself = "ClimuxMergeIntoItself";
    public const string GitNotFound = "ClimuxGitNotFound";
    public const string GhNotFound = "ClimuxGhNotFound";
    public const string RemoteNotFound = "ClimuxRemoteNotFound";
    public const string PushFailed = "ClimuxPushFailed";
    public const string PullRequestFailed = "ClimuxPullRequestFailed";
    public const string PresetNotFound = "ClimuxPresetNotFound";
    public const string WorkspaceAliasNotFound = "ClimuxWorkspaceAliasNotFound";

    /// <summary>The id of a broken worktree rule.</summary>
    public static string Of(WorktreeProblem problem) => problem switch
    {
        WorktreeProblem.InvalidName => WorktreeInvalidName,
        WorktreeProblem.Exists => WorktreeExists,
        WorktreeProblem.BaseNotFound => WorktreeBaseNotFound,
        WorktreeProblem.DirtyBase => WorktreeDirtyBase,
        WorktreeProblem.BranchExists or WorktreeProblem.BranchCheckedOut => WorktreeBranchConflict,
        WorktreeProblem.IsMain => WorktreeIsMain,
        WorktreeProblem.Dirty => WorktreeDirty,
        WorktreeProblem.Unmerged => WorktreeUnmerged,
        WorktreeProblem.Active => WorktreeActive,
        WorktreeProblem.Locked => WorktreeLocked,
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "a worktree problem without an error id"),
    };

    /// <summary>The id of a fan-in step that could not be done.</summary>
    public static string Of(FanInProblem problem) => problem switch
    {
        FanInProblem.Detached => WorktreeDetached,
        FanInProblem.NothingToMerge => WorktreeGitError,
        FanInProblem.GitNotFound => GitNotFound,
        FanInProblem.GhNotFound => GhNotFound,
        FanInProblem.RemoteNotFound => RemoteNotFound,
        FanInProblem.PushFailed => PushFailed,
        FanInProblem.PullRequestFailed => PullRequestFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "a fan-in problem without an error id"),
    };

    /// <summary>The id of a run request that breaks a rule.</summary>
    public static string Of(RunRequestProblem problem) => problem switch
    {
        RunRequestProblem.UnknownProvider => ProviderNotFound,
        RunRequestProblem.ProviderNotInstalled => ProviderNotInstalled,
        RunRequestProblem.DirectoryNotFound => DirectoryNotFound,
        RunRequestProblem.CannotResume => CannotResume,
        RunRequestProblem.DependencyNotFound => DependencyNotFound,
        RunRequestProblem.SessionActive => SessionActive,
        RunRequestProblem.UnknownPreset => PresetNotFound,
        _ => InvalidRunOptions,
    };
}
