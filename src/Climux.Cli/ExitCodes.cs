using Climux.Core.Sessions;

namespace Climux.Cli;

/// <summary>
/// The exit codes of <c>climux</c>, documented in its help and the README: a script tells outcomes
/// apart by them (<c>climux run … || case $? in 4) …</c>).
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked; a run or wait ended Completed.</summary>
    public const int Success = 0;
    /// <summary>A session ended Failed, or the command failed (git, store, a refused deletion…).</summary>
    public const int Failed = 1;
    /// <summary>Bad input: an unknown option or command, a value out of range, an unknown session, worktree or provider.</summary>
    public const int BadInput = 2;
    /// <summary>A session ended Orphaned (the process that ran it died).</summary>
    public const int Orphaned = 3;
    /// <summary>A session ended TimedOut (its --timeout passed).</summary>
    public const int TimedOut = 4;
    /// <summary>A session ended Stopped (climux session stop, Stop-ClimuxSession, Ctrl+C).</summary>
    public const int Stopped = 5;
    /// <summary>Refused: today's budget (monitoring.maxDailyBudget) is spent.</summary>
    public const int BudgetRefused = 6;
    /// <summary><c>session wait --timeout</c> passed before the sessions ended.</summary>
    public const int WaitTimeout = 7;

    /// <summary>The help text that lists them.</summary>
    public const string Help = """
        Exit codes:
          0  success; a run or wait ended Completed
          1  a session ended Failed, or the command failed
          2  bad input (unknown option, command, session, worktree or provider; invalid value)
          3  a session ended Orphaned
          4  a session ended TimedOut
          5  a session ended Stopped
          6  refused: today's budget is spent
          7  session wait --timeout passed first
        """;

    /// <summary>The exit code of a finished session's status; for several, the first that did not complete decides.</summary>
    public static int Of(SessionStatus status) => status switch
    {
        SessionStatus.Completed => Success,
        SessionStatus.Orphaned => Orphaned,
        SessionStatus.TimedOut => TimedOut,
        SessionStatus.Stopped => Stopped,
        _ => Failed,
    };

    public static int Of(IEnumerable<ClimuxSession> sessions) =>
        sessions.Select(s => Of(s.Status)).FirstOrDefault(code => code != Success, Success);
}
