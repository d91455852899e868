using System.Text;
using CliWrap;
using Climux.Core.Agents;

namespace Climux.Core.Runs;

/// <summary>How the agent process ended.</summary>
public sealed record AgentExit(int? ExitCode, bool Killed, string StandardErrorTail);

/// <summary>
/// Runs an agent CLI: argument array, no shell, stdin closed (or fed a long prompt, then closed),
/// stdout read line by line as it arrives, both streams copied to logs. Cancelling
/// <c>kill</c> kills the whole process tree.
/// </summary>
public static class AgentProcess
{
    public const int MaxLineBytes = 8 * 1024 * 1024;
    public const long MaxLogBytes = 64L * 1024 * 1024;
    private const int StderrTailChars = 8 * 1024;

    /// <param name="onStarted">Called with the pid as soon as the process exists.</param>
    /// <param name="onLine">Called for each stdout line, in order, on one thread at a time; the flag says it was cut at the length limit.</param>
    public static async Task<AgentExit> RunAsync(AgentCommandLine commandLine, string workingDirectory, string stdoutLog, string stderrLog,
        Action<int> onStarted, Action<string, bool> onLine, CancellationToken kill)
    {
        using var stdout = new BoundedLog(stdoutLog, MaxLogBytes);
        using var stderr = new BoundedLog(stderrLog, MaxLogBytes);
        var stderrTail = new StringBuilder();
        var splitter = new LineSplitter(MaxLineBytes, onLine);

        var command = Cli.Wrap(commandLine.Executable)
            .WithArguments(commandLine.Arguments)
            .WithWorkingDirectory(workingDirectory)
            // PWD as a shell would set it: some CLIs (OpenCode) take the folder from it, not from getcwd().
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["PWD"] = workingDirectory }
                .Concat(commandLine.Environment.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)))
                .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value))
            .WithStandardInputPipe(commandLine.StandardInput is { } input ? PipeSource.FromString(input, new UTF8Encoding(false)) : PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.Create(async (stream, cancellation) =>
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
                {
                    // To the file first and at once: a crash of this process loses nothing the agent printed.
                    stdout.Write(buffer.AsSpan(0, read));
                    stdout.Flush();
                    splitter.Write(buffer.AsSpan(0, read));
                }
                splitter.Flush();
                stdout.Flush();
            }))
            .WithStandardErrorPipe(PipeTarget.Create(async (stream, cancellation) =>
            {
                var buffer = new byte[16 * 1024];
                var decoder = new UTF8Encoding(false, false).GetDecoder();
                var chars = new char[buffer.Length];
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
                {
                    stderr.Write(buffer.AsSpan(0, read));
                    var count = decoder.GetChars(buffer, 0, read, chars, 0);
                    lock (stderrTail)
                    {
                        stderrTail.Append(chars, 0, count);
                        if (stderrTail.Length > StderrTailChars * 2)
                            stderrTail.Remove(0, stderrTail.Length - StderrTailChars);
                    }
                }
                stderr.Flush();
            }))
            .WithValidation(CommandResultValidation.None);

        string Tail()
        {
            lock (stderrTail)
                return stderrTail.Length > StderrTailChars ? stderrTail.ToString(stderrTail.Length - StderrTailChars, StderrTailChars) : stderrTail.ToString();
        }

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(kill);
        CommandTask<CommandResult> task;
        try
        {
            task = command.ExecuteAsync(abort.Token);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new AgentStartException($"Could not start '{commandLine.Executable}': {e.Message}", e);
        }
        try
        {
            onStarted(task.ProcessId);
        }
        catch (Exception)
        {
            // The run cannot be recorded as started: the agent must not go on unrecorded.
            await abort.CancelAsync().ConfigureAwait(false);
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            throw;
        }
        try
        {
            var result = await task.ConfigureAwait(false);
            return new AgentExit(result.ExitCode, Killed: false, Tail());
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return new AgentExit(null, Killed: true, Tail());
        }
    }
}

/// <summary>The agent's executable could not be started at all.</summary>
public sealed class AgentStartException(string message, Exception inner) : Exception(message, inner);
