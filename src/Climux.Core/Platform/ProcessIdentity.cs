using System.Diagnostics;
using System.Globalization;

namespace Climux.Core.Platform;

/// <summary>
/// A process as pid plus start time, so a pid the kernel has since given to another process is
/// not mistaken for the one Climux recorded.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, long StartTime)
{
    public static ProcessIdentity Current { get; } = Of(Environment.ProcessId) ?? new ProcessIdentity(Environment.ProcessId, 0);

    /// <summary>The running process with this pid now, or null when there is none (zombies count as gone).</summary>
    public static ProcessIdentity? Of(int pid)
    {
        if (pid <= 0)
            return null;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // Fields after the command name, which is in parentheses and may hold spaces:
                // state is field 3, starttime (clock ticks since boot) field 22.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] is "Z" or "X")
                    return null;
                return new ProcessIdentity(pid, long.Parse(fields[19], CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return null;
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : new ProcessIdentity(pid, process.StartTime.ToUniversalTime().Ticks);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public bool IsAlive => Of(Pid) is { } now && now.StartTime == StartTime;

    /// <summary>
    /// Kills this process and its descendants, if it is still the same process; when it leads a
    /// process group of its own (an agent Climux started), every process of the group too, so
    /// what it started whose parent has gone is not left behind.
    /// </summary>
    public bool KillTree()
    {
        if (!IsAlive)
            return false;
        var group = ProcessGroup.Leads(Pid);
        try
        {
            using var process = Process.GetProcessById(Pid);
            process.Kill(entireProcessTree: true);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
        finally
        {
            if (group)
                ProcessGroup.Kill(Pid);
        }
    }
}
