using System.Runtime.InteropServices;

namespace Climux.Core.Platform;

/// <summary>
/// An agent's own process group, on Unix. The agent is started through <c>setsid</c>, so it
/// leads a new group (its id is the agent's pid) that everything it starts joins, and stays in
/// after the agent has exited and its children have been handed to init. Ending the group with
/// one signal ends what the agent left running: a dev server, a watcher, a stray shell. A process
/// that makes a session of its own (a daemon) leaves the group and is not found this way.
/// On Windows, and on a Unix without <c>setsid</c>, there is no group and nothing here does anything.
/// </summary>
public static class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>The <c>setsid</c> program (util-linux, busybox), or null where there is none.</summary>
    public static string? Setsid { get; } = OperatingSystem.IsWindows() ? null
        : new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// The program and arguments that start <paramref name="executable"/> as the leader of a new
    /// process group (in a new session, with no controlling terminal); unchanged where that cannot be done.
    /// </summary>
    public static (string Executable, IReadOnlyList<string> Arguments, bool Grouped) Lead(string executable, IReadOnlyList<string> arguments)
    {
        // setsid executes the program in its own process (it forks only when already a group leader,
        // which a child of ours never is), so the pid stays the agent's. A rooted path cannot read as an option.
        if (Setsid is null || !Path.IsPathRooted(executable))
            return (executable, arguments, false);
        return (Setsid, [executable, .. arguments], true);
    }

    /// <summary>Whether <paramref name="pid"/> is alive and leads its own process group.</summary>
    public static bool Leads(int pid) => !OperatingSystem.IsWindows() && pid > 0 && getpgid(pid) == pid;

    /// <summary>Whether any process is left in group <paramref name="groupId"/>.</summary>
    public static bool HasMembers(int groupId) => !OperatingSystem.IsWindows() && groupId > 1 && kill(-groupId, 0) == 0;

    /// <summary>Kills every process in group <paramref name="groupId"/>; true when there were any.</summary>
    public static bool Kill(int groupId) => !OperatingSystem.IsWindows() && groupId > 1 && kill(-groupId, SigKill) == 0;

    [DllImport("libc")]
    private static extern int kill(int pid, int signal);

    [DllImport("libc")]
    private static extern int getpgid(int pid);
}
