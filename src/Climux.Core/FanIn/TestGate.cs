using CliWrap;

namespace Climux.Core.FanIn;

/// <summary>How a test command ended: its exit code (null when it was stopped at the time limit) and the end of its output.</summary>
internal sealed record TestRun(int? ExitCode, bool TimedOut, string Output)
{
    public bool Passed => ExitCode == 0 && !TimedOut;
}

/// <summary>Runs the merge queue's test command through the platform's shell, in the target folder, with a time limit.</summary>
internal static class TestGate
{
    private const int TailLines = 60;
    private const int TailChars = 6000;

    public static async Task<TestRun> RunAsync(string command, string folder, TimeSpan timeout, CancellationToken cancellation)
    {
        var tail = new Queue<string>();
        void Keep(string line)
        {
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > TailLines)
                    tail.Dequeue();
            }
        }
        var shell = OperatingSystem.IsWindows()
            ? Cli.Wrap(Environment.GetEnvironmentVariable("ComSpec") ?? "cmd.exe").WithArguments($"/d /s /c \"{command}\"")
            : Cli.Wrap("/bin/sh").WithArguments(["-c", command]);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        int? exitCode = null;
        try
        {
            // Cancelling kills the shell's whole process tree.
            var result = await shell.WithWorkingDirectory(folder)
                .WithStandardInputPipe(PipeSource.Null)
                .WithStandardOutputPipe(PipeTarget.ToDelegate(Keep))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(Keep))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(limit.Token);
            exitCode = result.ExitCode;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            Keep($"[climux: the test command was stopped after {timeout.TotalSeconds:0.#} s]");
        }
        string output;
        lock (tail)
            output = string.Join('\n', tail);
        return new TestRun(exitCode, exitCode is null, output.Length > TailChars ? output[^TailChars..] : output);
    }
}
