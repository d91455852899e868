using System.Diagnostics;
using Climux.Core.Agents;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Runs;

/// <summary>The agent's own exit ends its run, whatever it left running (Unix: these start /bin/sh).</summary>
public sealed class AgentProcessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<(AgentExit Exit, List<string> Lines)> Run(string script, CancellationToken kill = default)
    {
        var lines = new List<string>();
        var exit = await AgentProcess.RunAsync(new AgentCommandLine("/bin/sh", ["-c", script], new Dictionary<string, string>()),
            _temp.Path, _temp.Combine("out.log"), _temp.Combine("err.log"), _ => { }, (line, _) => { lock (lines) lines.Add(line); }, kill);
        return (exit, lines);
    }

    private static bool Alive(string pid) => ProcessIdentity.Of(int.Parse(pid)) is not null;

    /// <summary>A killed process takes a moment to die: give it a few seconds (it would live a minute otherwise).</summary>
    private static bool Ended(string pid)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(5); Alive(pid) && DateTime.UtcNow < deadline;)
            Thread.Sleep(20);
        return !Alive(pid);
    }

    [Fact]
    public async Task A_background_child_holding_stdout_does_not_hold_the_run_and_is_ended()
    {
        // The child keeps stdout open for 60 s; the run ends with the shell's exit, code 7, and ends the
        // child (had the run waited for the end of the output, the child would have ended by itself).
        var (exit, lines) = await Run("sleep 60 & echo $!; echo done; exit 7");
        Assert.Equal(7, exit.ExitCode);
        Assert.False(exit.Killed);
        Assert.Equal("done", lines[1]);
        Assert.True(exit.EndedLeftovers);
        Assert.True(Ended(lines[0]));
    }

    [Fact]
    public async Task Output_the_child_prints_just_after_the_exit_is_still_read()
    {
        var (exit, lines) = await Run("(sleep 0.2; echo late) & echo early");
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["early", "late"], lines);
    }

    [Fact]
    public async Task A_killed_agent_takes_what_left_its_tree_with_it()
    {
        using var kill = new CancellationTokenSource();
        var pidFile = _temp.Combine("orphan.pid");
        var running = Run($"sh -c 'sleep 60 >/dev/null 2>&1 & echo $! > {pidFile}'; echo started; sleep 60", kill.Token);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        var orphan = File.ReadAllText(pidFile).Trim();
        Assert.True(Alive(orphan));
        await kill.CancelAsync();
        var (exit, _) = await running;
        Assert.True(exit.Killed);
        Assert.True(Ended(orphan));
    }

    [Fact]
    public async Task Killing_an_agent_by_its_pid_from_elsewhere_takes_its_group_too()
    {
        // What Stop-ClimuxSession does for a run of another process, and what reclaiming an orphan does.
        var pidFile = _temp.Combine("orphan.pid");
        var (executable, arguments, grouped) = ProcessGroup.Lead("/bin/sh", ["-c", $"sh -c 'sleep 60 >/dev/null 2>&1 & echo $! > {pidFile}'; sleep 60"]);
        Assert.True(grouped);
        using var agent = Process.Start(new ProcessStartInfo(executable, arguments))!;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); !(File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0) && DateTime.UtcNow < deadline;)
            await Task.Delay(50);
        var orphan = File.ReadAllText(pidFile).Trim();
        Assert.True(ProcessGroup.Leads(agent.Id));

        Assert.True(ProcessIdentity.Of(agent.Id)!.Value.KillTree());

        Assert.True(Ended(orphan));
        await agent.WaitForExitAsync();
    }

    [Fact]
    public void Agents_lead_a_process_group_of_their_own_where_setsid_exists()
    {
        var (executable, arguments, grouped) = ProcessGroup.Lead("/opt/agent", ["-p", "x"]);
        Assert.Equal(ProcessGroup.Setsid is not null, grouped);
        Assert.Equal(grouped ? ["/opt/agent", "-p", "x"] : new[] { "-p", "x" }, arguments);
        Assert.Equal(grouped ? ProcessGroup.Setsid : "/opt/agent", executable);
        Assert.False(ProcessGroup.Lead("agent-on-path", []).Grouped);
    }
}
