using System.Text;
using CliWrap;
using Climux.Core.Agents;
using Climux.Core.Platform;

namespace Climux.Core.Runs;

/// <summary>How the agent process ended; <paramref name="EndedLeftovers"/>: it left processes running, which were killed.</summary>
public sealed record AgentExit(int? ExitCode, bool Killed, string StandardErrorTail, bool EndedLeftovers = false);

/// <summary>
/// Runs an agent CLI: argument array, no shell, stdin closed (or fed a long prompt, then closed),
/// stdout read line by line as it arrives, both streams copied to logs. Cancelling
/// <c>kill</c> kills the whole process tree.
/// </summary>
/// <remarks>
/// The run ends with the agent's own exit, not with the end of its output: a background process it
/// started (a dev server, a watcher) may hold stdout open for hours. Once the agent has exited, the
/// output is read for <see cref="DrainGrace"/> more, then left; and whatever the agent left running in
/// its process group (see <see cref="ProcessGroup"/>) is killed, at its exit as when it is killed.
/// </remarks>
public static class AgentProcess
{
    public const int MaxLineBytes = 8 * 1024 * 1024;
    public const long MaxLogBytes = 64L * 1024 * 1024;
    private const int StderrTailChars = 8 * 1024;

    /// <summary>How long output is still read once the agent has exited, when something else holds its pipes open.</summary>
    public static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(1);

    /// <summary>How often the agent's process is looked at to see that it has exited.</summary>
    private static readonly TimeSpan ExitPoll = TimeSpan.FromMilliseconds(100);

    /// <param name="onStarted">Called with the pid as soon as the process exists.</param>
    /// <param name="onLine">Called for each stdout line, in order, on one thread at a time; the flag says it was cut at the length limit.</param>
    /// <param name="onErrorLine">Called for each stderr line, in order, on one thread at a time (another than <paramref name="onLine"/>'s).</param>
    public static async Task<AgentExit> RunAsync(AgentCommandLine commandLine, string workingDirectory, string stdoutLog, string stderrLog,
        Action<int> onStarted, Action<string, bool> onLine, CancellationToken kill, Action<string>? onErrorLine = null)
    {
        var errorSplitter = onErrorLine is null ? null : new LineSplitter(MaxLineBytes, (line, _) => onErrorLine(line));
        using var stdout = new BoundedLog(stdoutLog, MaxLogBytes);
        using var stderr = new BoundedLog(stderrLog, MaxLogBytes);
        var stderrTail = new StringBuilder();
        var splitter = new LineSplitter(MaxLineBytes, onLine);
        // Cancelled once the agent has exited and the grace period is over: the pipes are left to whoever still holds them.
        using var drain = new CancellationTokenSource();
        var (executable, arguments, grouped) = ProcessGroup.Lead(commandLine.Executable, commandLine.Arguments);

        var command = Cli.Wrap(executable)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            // PWD as a shell would set it: some CLIs (OpenCode) take the folder from it, not from getcwd().
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["PWD"] = workingDirectory }
                .Concat(commandLine.Environment.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)))
                .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value))
            .WithStandardInputPipe(commandLine.StandardInput is { } input ? PipeSource.FromString(input, new UTF8Encoding(false)) : PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.Create(async (stream, cancellation) =>
            {
                var buffer = new byte[64 * 1024];
                await ReadUntilDrainedAsync(stream, buffer, cancellation, drain.Token, read =>
                {
                    // To the file first and at once: a crash of this process loses nothing the agent printed.
                    stdout.Write(buffer.AsSpan(0, read));
                    stdout.Flush();
                    splitter.Write(buffer.AsSpan(0, read));
                }).ConfigureAwait(false);
                splitter.Flush();
                stdout.Flush();
            }))
            .WithStandardErrorPipe(PipeTarget.Create(async (stream, cancellation) =>
            {
                var buffer = new byte[16 * 1024];
                var decoder = new UTF8Encoding(false, false).GetDecoder();
                var chars = new char[buffer.Length];
                await ReadUntilDrainedAsync(stream, buffer, cancellation, drain.Token, read =>
                {
                    stderr.Write(buffer.AsSpan(0, read));
                    errorSplitter?.Write(buffer.AsSpan(0, read));
                    var count = decoder.GetChars(buffer, 0, read, chars, 0);
                    lock (stderrTail)
                    {
                        stderrTail.Append(chars, 0, count);
                        if (stderrTail.Length > StderrTailChars * 2)
                            stderrTail.Remove(0, stderrTail.Length - StderrTailChars);
                    }
                }).ConfigureAwait(false);
                errorSplitter?.Flush();
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
        var pid = task.ProcessId;
        // Killing the agent kills its group too: the tree kill cannot see what was handed to init.
        using var killGroup = grouped ? abort.Token.Register(() => ProcessGroup.Kill(pid)) : default;
        try
        {
            onStarted(pid);
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
            using var watching = new CancellationTokenSource();
            Task run = task.Task;
            var exited = WaitForExitAsync(ProcessIdentity.Of(pid), watching.Token);
            if (await Task.WhenAny(run, exited).ConfigureAwait(false) != run &&
                await Task.WhenAny(run, Task.Delay(DrainGrace, abort.Token)).ConfigureAwait(false) != run)
            {
                // The agent has exited but something it started still holds its output open.
                await drain.CancelAsync().ConfigureAwait(false);
            }
            await watching.CancelAsync().ConfigureAwait(false);
            var result = await task.ConfigureAwait(false);
            // The agent's pid is not handed to another process while its group still has members, so a
            // group found here is the one it led (unless the group emptied and the kernel reused the pid
            // for a new group leader within this moment, which pid allocation makes all but impossible).
            return new AgentExit(result.ExitCode, Killed: false, Tail(), EndedLeftovers: grouped && ProcessGroup.Kill(pid));
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return new AgentExit(null, Killed: true, Tail(), EndedLeftovers: grouped && ProcessGroup.Kill(pid));
        }
    }

    /// <summary>Reads until the end of the stream, or quietly stops when <paramref name="drained"/> is cancelled.</summary>
    private static async Task ReadUntilDrainedAsync(Stream stream, byte[] buffer, CancellationToken cancellation, CancellationToken drained, Action<int> onRead)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, drained);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, stop.Token).ConfigureAwait(false)) > 0)
                onRead(read);
        }
        catch (OperationCanceledException) when (drained.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
        }
    }

    /// <summary>Completes once the process is gone (exited, or a zombie not reaped yet); cancelled otherwise.</summary>
    private static async Task WaitForExitAsync(ProcessIdentity? agent, CancellationToken cancellation)
    {
        while (agent is { IsAlive: true })
            await Task.Delay(ExitPoll, cancellation).ConfigureAwait(false);
    }
}

/// <summary>The agent's executable could not be started at all.</summary>
public sealed class AgentStartException(string message, Exception inner) : Exception(message, inner);
