using System.Diagnostics;
using System.Text;
using Climux.FakeAgent;

// fake-agent: stands in for claude, codex, gemini, opencode or a generic command in tests. The
// flavor comes from FAKE_AGENT_CLI; the output replays the real CLI's recordings with this run's
// values; [[markers]] in the prompt pick the scenario (see ../README.md).

var cli = Environment.GetEnvironmentVariable("FAKE_AGENT_CLI");
if (cli is null || !Flavors.All.Contains(cli))
{
    Console.Error.WriteLine($"fake-agent: set FAKE_AGENT_CLI to one of {string.Join(", ", Flavors.All)} (it is '{cli}')");
    return 64;
}
if (args is ["--version"])
{
    Console.OpenStandardOutput().Write(Encoding.UTF8.GetBytes(Flavors.Version(cli) + "\n"));
    return 0;
}

var log = InvocationLog.FromEnvironment();
Invocation invocation;
string prompt;
Scenario scenario;
try
{
    invocation = Arguments.Parse(cli, args);
    prompt = invocation.PromptArgument ?? ReadStandardInput();
    if (prompt.Length == 0 && cli is not ("text" or "jsonl"))
        throw new UsageException(Flavors.EmptyPrompt(cli), 1);
    scenario = Scenario.Parse(prompt);
}
catch (UsageException e)
{
    log.Refused(cli, args, e.Message, e.ExitCode);
    Console.Error.WriteLine(e.Message);
    return e.ExitCode;
}

var store = SessionStore.FromEnvironment(cli);
var (sessionId, refusal) = ChooseSession(invocation, store);
log.Start(cli, args, prompt, sessionId);
int exit;
if (refusal is not null)
{
    Console.Error.WriteLine(refusal);
    exit = 1;
}
else
{
    exit = Answer(invocation, scenario, prompt, sessionId, store, log);
}
log.End(cli, sessionId, exit);
return exit;

static string ReadStandardInput()
{
    using var reader = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
    return reader.ReadToEnd();
}

// The session this run continues or starts, or why the real CLI would refuse it.
static (string? Id, string? Refusal) ChooseSession(Invocation invocation, SessionStore store)
{
    if (invocation.Cli == "text")
        return (null, null);
    if (invocation.ResumeId is { } resume)
        return (resume, store.Exists(resume) ? null : Flavors.MissingSession(invocation.Cli, resume));
    if (invocation.PresetId is { } preset)
        return (preset, store.Exists(preset) ? Flavors.SessionInUse(preset) : null);
    return (Flavors.NewSessionId(invocation.Cli), null);
}

static int Answer(Invocation invocation, Scenario scenario, string prompt, string? sessionId, SessionStore store, InvocationLog log)
{
    var turn = sessionId is null ? 1 : store.Append(sessionId, prompt);
    if (scenario.Stderr)
    {
        for (var i = 1; i <= 3; i++)
            Console.Error.WriteLine($"fake-agent: stderr line {i} of 3");
    }
    if (scenario.SleepMs > 0)
        Thread.Sleep(scenario.SleepMs);
    if (scenario.HangTree || scenario.StrayChild)
        StartSleepingChild(log);
    if (scenario.OrphanChild)
        StartOrphan(log);

    var hang = scenario.Hang || scenario.HangTree;
    var output = new LineWriter(Console.OpenStandardOutput(), scenario.SlowMs, hang);
    if (scenario.Garbage)
        output.Garbage();
    if (scenario.FloodMegabytes > 0)
        output.Flood(scenario.FloodMegabytes);

    var run = new Run(invocation, scenario, prompt, sessionId, turn, output);
    if (scenario.RateLimited.Contains(invocation.Cli))
        return RateLimitOutput.Write(run);
    var exit = invocation.Cli switch
    {
        "claude" => ClaudeOutput.Write(run),
        "codex" => CodexOutput.Write(run),
        "gemini" => GeminiOutput.Write(run),
        "opencode" => OpenCodeOutput.Write(run),
        "jsonl" => GenericOutput.Jsonl(run),
        _ => GenericOutput.Text(run),
    };
    // A hang with nothing printed (text flavor with [[error]]) still hangs.
    if (hang)
        Thread.Sleep(Timeout.Infinite);
    return scenario.Exit ?? exit;
}

// The child inherits standard output and error, like a real agent's tool processes: whoever reads
// the pipes to the end must kill the whole tree, not only the agent.
static void StartSleepingChild(InvocationLog log)
{
    var start = OperatingSystem.IsWindows()
        ? new ProcessStartInfo("cmd.exe", ["/c", "ping -n 3601 127.0.0.1 >nul"])
        : new ProcessStartInfo("/bin/sh", ["-c", "exec sleep 3600"]);
    start.UseShellExecute = false;
    using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the child process");
    log.Child(child.Id);
}

// A grandchild whose parent exits at once, so it is no longer in the agent's process tree, as a
// dev server started with '&' by a tool's shell is. It is logged as a detached child of the agent.
static void StartOrphan(InvocationLog log)
{
    if (OperatingSystem.IsWindows())
        throw new PlatformNotSupportedException("fake-agent: [[orphan-child]] needs a Unix shell");
    var start = new ProcessStartInfo("/bin/sh", ["-c", "sleep 3600 </dev/null >/dev/null 2>&1 & echo $!"])
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
    };
    using var shell = Process.Start(start) ?? throw new InvalidOperationException("could not start the shell");
    var pid = int.Parse(shell.StandardOutput.ReadLine()!.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    shell.WaitForExit();
    log.Child(pid, detached: true);
}
