using System.Diagnostics;
using Climux.Core.Paths;

namespace Climux.Cli.Tests.Support;

/// <summary>What one <c>climux</c> command line gave: its exit code, stdout and stderr.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// A temporary Climux home whose providers are the fake agent (tests/fakes, replaying the real CLIs'
/// output), a git repository to work in, and ways to run <c>climux</c> there: in process
/// (<see cref="Run"/>) or as the real executable (<see cref="RunProcess"/>).
/// </summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), $"climux-cli-{Guid.NewGuid():N}"[..24]);
        Home = Path.Combine(Root, "home");
        Repo = Path.Combine(Root, "repo");
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Repo);
        File.WriteAllText(Path.Combine(Home, "config.yaml"), FakeConfig(Path.Combine(Root, "fake-state"), Path.Combine(Root, "fake-log")));
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "test@example.invalid");
        Git("config", "user.name", "Climux Test");
        Git("config", "commit.gpgsign", "false");
        File.WriteAllText(Path.Combine(Repo, "README.md"), "test repo\n");
        Git("add", "-A");
        Git("commit", "-q", "-m", "initial");
    }

    public string Root { get; }
    public string Home { get; }
    public string Repo { get; }

    public static string FakeAgent => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "fake-agent.exe" : "fake-agent");

    /// <summary>The built <c>climux</c> beside the tests.</summary>
    public static string Climux => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "climux.exe" : "climux");

    /// <summary>A config.yaml whose built-in providers all run the fake agent; codex is the default.</summary>
    public static string FakeConfig(string state, string log)
    {
        Directory.CreateDirectory(state);
        Directory.CreateDirectory(log);
        var lines = new List<string> { "defaultProvider: codex", "providers:" };
        foreach (var (provider, flavor) in new[] { ("claude-code", "claude"), ("codex", "codex"), ("gemini-cli", "gemini"), ("opencode", "opencode") })
        {
            lines.Add($"  {provider}:");
            lines.Add($"    command: '{FakeAgent}'");
            lines.Add("    env:");
            lines.Add($"      FAKE_AGENT_CLI: {flavor}");
            lines.Add($"      FAKE_AGENT_STATE: '{state}'");
            lines.Add($"      FAKE_AGENT_LOG: '{log}'");
        }
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Runs a command line in this process, in <paramref name="directory"/> (default: the repository).</summary>
    public CliResult Run(params string[] args) => RunIn(Repo, args);

    public CliResult RunIn(string directory, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, directory, () => new ClimuxHome(Home)) { SelfCommand = [Climux] };
        var exitCode = CliApp.RunAsync(args, context).GetAwaiter().GetResult();
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the real executable with CLIMUX_HOME set, in the repository.</summary>
    public CliResult RunProcess(params string[] args)
    {
        var start = new ProcessStartInfo(Climux) { WorkingDirectory = Repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment[ClimuxHome.EnvironmentVariable] = Home;
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"climux {string.Join(' ', args)} did not end in 2 minutes.");
        }
        return new CliResult(process.ExitCode, output.Result, error.Result);
    }

    public string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        return output.Trim();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
