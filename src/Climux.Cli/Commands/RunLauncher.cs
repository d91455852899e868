using System.CommandLine;
using System.Diagnostics;
using Climux.Cli.Rendering;
using Climux.Core.Json;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Cmdlets;

namespace Climux.Cli.Commands;

/// <summary>
/// The options <c>climux run</c> and <c>climux session resume</c> share, and how both run: in the
/// foreground until the session ends (a live view on stderr when it is a terminal), or with
/// --background in a detached process that outlives the shell.
/// </summary>
public sealed class RunLauncher
{
    /// <summary>The hidden option the detached process is started with: queue, print the session on stdout, run silently.</summary>
    public const string HostedOption = "--hosted";

    private readonly Option<int?> _timeout = new("--timeout") { Description = "Seconds the agent may run (queued time does not count); then it is killed and the session ends TimedOut." };
    private readonly Option<decimal?> _maxCost = new("--max-cost") { Description = "USD this run may cost; past it the agent is stopped and the session ends Failed." };
    private readonly Option<bool> _force = new("--force") { Description = "Start even when today's budget is spent, or beside another active session in the same worktree." };
    private readonly Option<bool> _unrestricted = new("--unrestricted") { Description = "Run without the agent's sandbox or permission checks (its bypass flag). Task mode only. Never the default." };
    private readonly Option<bool> _background = new("--background") { Description = "Return once the run is queued (printing its session id); it goes on in a detached process that outlives the shell." };
    private readonly Option<bool> _json = new("--json") { Description = "Print the session as one JSON object (at the end; with --background, once queued). Its id is .sessionId." };
    private readonly Option<bool> _hosted = new(HostedOption) { Hidden = true };
    private readonly CliContext _context;

    public RunLauncher(CliContext context, Command command)
    {
        _context = context;
        foreach (var option in new Option[] { _timeout, _maxCost, _force, _unrestricted, _background, _json, _hosted })
            command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if (result.GetValue(_timeout) is <= 0 or > 4_294_967)
                result.AddError("--timeout must be from 1 to 4294967 seconds.");
            if (result.GetValue(_maxCost) is <= 0 or > 1_000_000)
                result.AddError("--max-cost must be more than 0 and at most 1000000 USD.");
        });
    }

    public RunOptions Options(ParseResult parse) => new()
    {
        TimeoutSeconds = parse.GetValue(_timeout),
        MaxCost = parse.GetValue(_maxCost),
        Unrestricted = parse.GetValue(_unrestricted),
        Force = parse.GetValue(_force),
    };

    /// <summary>Runs the request as the options say; returns the exit code.</summary>
    public async Task<int> LaunchAsync(ParseResult parse, Func<RunRequest> request, CancellationToken cancellation)
    {
        var json = parse.GetValue(_json);
        if (parse.GetValue(_background) && !parse.GetValue(_hosted))
            return await DetachAsync(json, cancellation).ConfigureAwait(false);

        var engine = _context.Engine;
        var handle = engine.Runs.Queue(request());
        var hosted = parse.GetValue(_hosted);
        try
        {
            if (!hosted && _context.ErrorIsTerminal)
                handle.Updated += ShowLive;
        }
        finally
        {
            // Queued: it must start whatever happens, or, first in line, it would hold up every later run.
            engine.Runs.Start(handle);
        }
        if (hosted)
        {
            // The process that started this one reads this line, prints it, and returns to the shell.
            _context.Out.WriteLine(ClimuxJson.SerializeCompact(SessionJson.From(handle.Session)));
            await _context.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await WaitAsync(handle, cancellation).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        _context.Info($"Session {handle.SessionId} ({handle.Session.Provider}) queued.");
        if (handle.Budget is { PastAlertThreshold: true } budget)
            _context.Warn($"{budget.Describe()}; the alert threshold is {budget.AlertThreshold:P0}.");

        var session = await WaitAsync(handle, cancellation).ConfigureAwait(false);
        return Report(_context, session, json);
    }

    /// <summary>Writes a finished session (its result on stdout, or the JSON document) and returns its exit code.</summary>
    public static int Report(CliContext context, ClimuxSession session, bool json)
    {
        if (json)
            context.WriteJson(SessionJson.From(session));
        else if (session.Result is { Length: > 0 } result)
            context.Out.WriteLine(result);
        var summary = $"Session {session.Id} {session.Status} in {Format.Seconds(session.Duration ?? 0)}, {Format.Usd(session.CostUsd)}.";
        context.Info(context.Paint(summary, session.Status == SessionStatus.Completed ? Ansi.Green : Ansi.Red));
        if (RunFailedException.Of(session) is { } failure)
            context.Error.WriteLine($"climux: {context.Paint("error", Ansi.Red)} {(failure.TimedOut ? ErrorIds.RunTimedOut : ErrorIds.RunFailed)}: {failure.Message}");
        return ExitCodes.Of(session.Status);
    }

    private async Task<ClimuxSession> WaitAsync(RunHandle handle, CancellationToken cancellation)
    {
        try
        {
            return await handle.Completion.WaitAsync(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            handle.Stop("Stopped with Ctrl+C.");
            return await handle.Completion.WaitAsync(TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void ShowLive(RunUpdate update)
    {
        var line = update switch
        {
            RunTranscriptUpdate transcript => _context.Paint(transcript.Event.ToString(), Ansi.Dim),
            RunWarningUpdate warning => _context.Paint("warning: ", Ansi.Yellow) + warning.Message,
            RunStatusUpdate status => $"[{status.SessionId}] {status.Message}",
            _ => null,
        };
        if (line is not null)
            _context.Error.WriteLine(line);
    }

    /// <summary>
    /// --background: starts this command again as a detached process (its own session, via setsid
    /// where there is one, so closing the terminal does not end it) that queues and hosts the run,
    /// and returns once it has said which session it queued.
    /// </summary>
    private async Task<int> DetachAsync(bool json, CancellationToken cancellation)
    {
        if (_context.SelfCommand.Count == 0)
            throw new CliException("ClimuxUsage", "--background is not available here (no program to start).", ExitCodes.Failed);
        var setsid = OperatingSystem.IsWindows() ? null : new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
        var commandLine = (setsid is null ? [] : new[] { setsid }).Concat(_context.SelfCommand).ToList();
        var start = new ProcessStartInfo(commandLine[0])
        {
            WorkingDirectory = _context.CurrentDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in commandLine.Skip(1))
            start.ArgumentList.Add(argument);
        var dropped = false;
        foreach (var argument in _context.Arguments)
        {
            if (!dropped && argument == "--background")
            {
                dropped = true;
                continue;
            }
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add(HostedOption);
        start.Environment[Core.Paths.ClimuxHome.EnvironmentVariable] = _context.Home.Root;

        using var process = Process.Start(start) ?? throw new CliException("ClimuxUsage", $"Could not start '{commandLine[0]}'.", ExitCodes.Failed);
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync(cancellation);
        var line = await process.StandardOutput.ReadLineAsync(cancellation).ConfigureAwait(false);
        if (line is null)
        {
            // It could not queue the run: its error and exit code are this command's.
            await process.WaitForExitAsync(cancellation).ConfigureAwait(false);
            await _context.Error.WriteAsync(await errors.ConfigureAwait(false)).ConfigureAwait(false);
            return process.ExitCode;
        }
        var session = ClimuxJson.Deserialize<SessionJson>(line)!;
        if (json)
            _context.WriteJson(session);
        else
            _context.Out.WriteLine(session.SessionId);
        _context.Info($"Session {session.SessionId} ({session.Provider}) queued; it runs in the background (process {process.Id}). Wait for it with: climux session wait {session.SessionId}");
        return ExitCodes.Success;
    }
}
