namespace Climux.Core.Git;

/// <summary>
/// Tells a failure of the git library from other exceptions, so front-ends need not name the library's
/// types (the cmdlets live in PowerShell's default load context, the library in the module's own).
/// </summary>
public static class GitErrors
{
    public static bool IsGitFailure(Exception exception) => exception is LibGit2Sharp.LibGit2SharpException;
}
