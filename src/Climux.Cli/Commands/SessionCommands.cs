using Climux.Core.Engine;
using System.CommandLine;
using Climux.Cli.Rendering;
using Climux.Core.Export;
using Climux.Core.Json;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Workspaces;
using Climux.PowerShell.Cmdlets;

namespace Climux.Cli.Commands;

/// <summary><c>climux session list|show|wait|resume|export|log|stop|delete</c>: the sessions of the store, whichever face started them.</summary>
public static class SessionCommands
{
    public static Command Create(CliContext context) => new Command("session", "The sessions of the store, started by climux or by the PowerShell cmdlets: list, show, wait, resume, export, log, stop, delete.")
    {
        ListCommand(context), ShowCommand(context), WaitCommand(context), ResumeCommand(context),
        ExportCommand(context), LogCommand(context), StopCommand(context), DeleteCommand(context),
    };

    private static Argument<string> IdArgument() => new("id") { Description = "A session id, name, or id prefix (4 characters or more)." };

    private static Argument<string[]> IdsArgument(string description) => new("id") { Description = description, Arity = ArgumentArity.OneOrMore };

    private static Option<bool> JsonOption(string what) => new("--json") { Description = $"Print {what} as JSON." };

    private static Command ListCommand(CliContext context)
    {
        var workspace = new Option<string?>("--workspace") { Description = "Only sessions of this repository (any folder in it, or @alias from workspaces:)." };
        var worktree = new Option<string?>("--worktree") { Description = "Only sessions run in this worktree (by name)." };
        var status = new Option<SessionStatus[]>("--status") { Description = "Only sessions with these statuses (queued, running, completed, failed, stopped, timedout, orphaned).", AllowMultipleArgumentsPerToken = true };
        var provider = new Option<string[]>("--provider") { Description = "Only sessions of these providers.", AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int?>("--limit") { Description = "Only the newest N (listed oldest first)." };
        var json = JsonOption("an array of sessions");
        var command = new Command("list", "Lists sessions, oldest first.") { workspace, worktree, status, provider, limit, json }.WithExamples("""
            climux session list --limit 10
            climux session list --status running queued --json | jq -r '.[].sessionId'
            climux session list --workspace . --provider codex
            """);
        command.Validators.Add(r =>
        {
            if (r.GetValue(limit) is < 1)
                r.AddError("--limit must be at least 1.");
        });
        command.SetAction(parse =>
        {
            var sessions = context.Engine.Sessions.Find(new SessionFilter
            {
                Workspace = parse.GetValue(workspace) is { } w ? ClimuxEngine.WorkspaceRoot(w, context.CurrentDirectory, context.Config) : null,
                Worktree = parse.GetValue(worktree),
                Statuses = parse.GetValue(status) is { Length: > 0 } statuses ? statuses : null,
                Providers = parse.GetValue(provider) is { Length: > 0 } providers ? providers : null,
                Last = parse.GetValue(limit),
            });
            if (parse.GetValue(json))
            {
                context.WriteJson<IReadOnlyList<SessionJson>>([.. sessions.Select(SessionJson.From)]);
                return ExitCodes.Success;
            }
            var table = new Table("ID", "PROVIDER", "STATUS", "WORKTREE", "QUEUED", "DURATION", "COST", "PROMPT").AlignRight(5, 6);
            foreach (var s in sessions)
                table.Add(s.Id, s.Provider, s.Status.ToString(), s.Worktree, Format.Time(s.QueuedAt), Format.Seconds(s.Duration), Format.Usd(s.CostUsd), ClimuxSession.Abbreviate(s.Prompt, 50));
            if (table.Count == 0)
                context.Info("No sessions.");
            else
                table.Write(context.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ShowCommand(CliContext context)
    {
        var id = IdArgument();
        var json = JsonOption("the session");
        var command = new Command("show", "Shows one session: its details, usage, cost and final result.") { id, json }.WithExamples("""
            climux session show abc123
            climux session show abc123 --json | jq '{status, costUsd, durationSeconds}'
            """);
        command.SetAction(parse =>
        {
            var session = context.Engine.Sessions.Resolve(parse.GetValue(id)!);
            if (parse.GetValue(json))
            {
                context.WriteJson(SessionJson.From(session));
                return ExitCodes.Success;
            }
            var output = context.Out;
            void Line(string label, object? value)
            {
                if (value is not null && value.ToString() is { Length: > 0 } text)
                    output.WriteLine($"{label,-11} {text}");
            }
            Line("Session", session.Id + (session.Name is null ? "" : $" ({session.Name})"));
            Line("Status", session.Status);
            Line("Provider", session.Provider + (session.Model is null ? "" : $" ({session.Model})"));
            Line("Mode", session.Mode);
            Line("Directory", session.Directory);
            Line("Worktree", session.Worktree);
            Line("Branch", session.Branch);
            Line("Queued", Format.Time(session.QueuedAt));
            Line("Started", Format.Time(session.StartedAt));
            Line("Ended", Format.Time(session.EndedAt));
            Line("Duration", Format.Seconds(session.Duration));
            Line("Tokens", $"{Format.Number(session.InputTokens)} in, {Format.Number(session.OutputTokens)} out, {Format.Number(session.CacheReadTokens)} cache read, {Format.Number(session.CacheWriteTokens)} cache write");
            Line("Cost", Format.Usd(session.CostUsd) + (session.CostSource is { } source ? $" ({source})" : ""));
            Line("Depends on", string.Join(' ', session.DependsOn));
            Line("Parent", session.ParentId);
            Line("Resume", session.ResumeCommand);
            Line("Prompt", session.Prompt);
            Line("Error", session.Error);
            Line("Result", session.Result);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command WaitCommand(CliContext context)
    {
        var ids = IdsArgument("The sessions to wait for.");
        var any = new Option<bool>("--any") { Description = "Return as soon as one of them has finished." };
        var timeout = new Option<double?>("--timeout") { Description = "Give up after this many seconds (exit code 7)." };
        var json = JsonOption("the sessions (an array)");
        var command = new Command("wait", "Blocks until the sessions have finished; exit code 0 when all completed, else the code of the first that did not (1 Failed, 3 Orphaned, 4 TimedOut, 5 Stopped).")
        {
            ids, any, timeout, json,
        }.WithExamples("""
            climux session wait $SESSION1
            climux session wait $SESSION1 $SESSION2 --timeout 3600 --json | jq -r '.[] | "\(.sessionId) \(.status)"'
            """);
        command.Validators.Add(r =>
        {
            if (r.GetValue(timeout) is <= 0)
                r.AddError("--timeout must be more than 0 seconds.");
        });
        command.SetAction(async (parse, cancellation) =>
        {
            var sessions = parse.GetValue(ids)!.Select(context.Engine.Sessions.Resolve).ToList();
            var waitFor = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            var finished = await context.Engine.Sessions.WaitAsync([.. sessions.Select(s => s.Id).Distinct()], parse.GetValue(any), waitFor, null, cancellation).ConfigureAwait(false);
            if (parse.GetValue(json))
                context.WriteJson<IReadOnlyList<SessionJson>>([.. finished.Select(SessionJson.From)]);
            else
                foreach (var s in finished)
                    context.Out.WriteLine($"{s.Id} {s.Status}");
            var done = parse.GetValue(any) ? finished.Any(s => s.IsFinished) : finished.All(s => s.IsFinished);
            if (!done)
            {
                context.Error.WriteLine($"climux: {context.Paint("error", Ansi.Red)} {ErrorIds.WaitTimeout}: the sessions had not finished after {waitFor?.TotalSeconds} seconds.");
                return ExitCodes.WaitTimeout;
            }
            return ExitCodes.Of(parse.GetValue(any) ? finished.Where(s => s.IsFinished).Take(1) : finished);
        });
        return command;
    }

    private static Command ResumeCommand(CliContext context)
    {
        var id = IdArgument();
        var prompt = new Argument<string>("prompt") { Description = "What to tell the agent.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "Continue where you left off." };
        var mode = new Option<RunMode?>("--mode") { Description = "task or plan (default: the session's)." };
        var model = new Option<string?>("--model") { Description = "The model (default: the session's)." };
        var command = new Command("resume", "Resumes a finished session's conversation (the agent's native resume), in the same folder, as a new linked session; runs like climux run.")
        {
            id, prompt, mode, model,
        }.WithExamples("""
            climux session resume abc123 "Now add tests for it"
            climux session resume abc123 --background --json | jq -r .sessionId
            """);
        var launcher = new RunLauncher(context, command);
        command.SetAction((parse, cancellation) => launcher.LaunchAsync(parse, () =>
            RunRequest.ResumeOf(context.Engine.Sessions.Resolve(parse.GetValue(id)!), context.Config, parse.GetValue(prompt)!, launcher.Options(parse),
                parse.GetValue(mode), parse.GetValue(model)), cancellation));
        return command;
    }

    private static Command ExportCommand(CliContext context)
    {
        var id = IdArgument();
        var format = new Option<string>("--format") { Description = "md (Markdown, the default) or json.", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "markdown", "json");
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (owner-only) instead of stdout; an existing file is refused unless --force." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing --output file." };
        var command = new Command("export", "Exports a session (details, prompt, transcript, usage and cost) as Markdown or JSON, with API keys and secrets redacted.")
        {
            id, format, output, force,
        }.WithExamples("""
            climux session export abc123 --format md > auth.md
            climux session export abc123 --format json --output auth.json
            """);
        command.SetAction(parse =>
        {
            var session = context.Engine.Sessions.Resolve(parse.GetValue(id)!);
            var exportFormat = parse.GetValue(format) == "json" ? ExportFormat.Json : ExportFormat.Markdown;
            var text = context.Engine.Sessions.Export(session, exportFormat, context.Config);
            if (parse.GetValue(output) is not { } file)
            {
                context.Out.Write(text);
                return ExitCodes.Success;
            }
            var target = context.FullPath(file);
            if (File.Exists(target) && !parse.GetValue(force))
                throw new CliException(ErrorIds.ExportFileExists, $"'{target}' exists; use --force to overwrite it.", ExitCodes.Failed);
            try
            {
                OwnerOnly.WriteAllTextAtomic(target, text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ErrorIds.ExportFailed, $"Could not write '{target}': {e.Message}", ExitCodes.Failed);
            }
            context.Info($"Exported session {session.Id} to {target}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command LogCommand(CliContext context)
    {
        var id = IdArgument();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events until the session ends (or Ctrl+C)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per event, one a line (JSON Lines)." };
        var command = new Command("log", "Prints a session's transcript: messages, tool calls and results, usage, errors.") { id, follow, json }.WithExamples("""
            climux session log abc123
            climux session log abc123 --follow
            climux session log abc123 --json | jq -r 'select(.kind == "ToolCall") | .tool'
            """);
        command.SetAction((parse, cancellation) =>
        {
            var session = context.Engine.Sessions.Resolve(parse.GetValue(id)!);
            foreach (var e in context.Engine.Sessions.Log(session.Id, parse.GetValue(follow), cancellation))
            {
                context.Out.WriteLine(parse.GetValue(json) ? ClimuxJson.SerializeCompact(SessionEventJson.From(e)) : $"{Format.Time(e.At)} {e}");
                context.Out.Flush();
            }
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command StopCommand(CliContext context)
    {
        var ids = IdsArgument("The sessions to stop.");
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for each to end.", DefaultValueFactory = _ => 30 };
        var command = new Command("stop", "Stops queued or running sessions, whichever process runs them: the agent's whole process tree is killed; the session ends Stopped.")
        {
            ids, wait,
        }.WithExamples("""
            climux session stop abc123
            climux session list --status running --json | jq -r '.[].sessionId' | xargs -r climux session stop
            """);
        command.SetAction(async (parse, cancellation) =>
        {
            foreach (var reference in parse.GetValue(ids)!)
            {
                var session = context.Engine.Sessions.Resolve(reference);
                var stopped = await context.Engine.Sessions.StopAsync(session.Id, "Stopped with climux session stop.", TimeSpan.FromSeconds(parse.GetValue(wait)), cancellation).ConfigureAwait(false);
                if (!stopped.IsFinished)
                    throw new StopTimeoutException(stopped);
                context.Out.WriteLine($"{stopped.Id} {stopped.Status}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command DeleteCommand(CliContext context)
    {
        var ids = new Argument<string[]>("id") { Description = "The sessions to delete.", Arity = ArgumentArity.ZeroOrMore };
        var olderThan = new Option<double?>("--older-than") { Description = "Delete every finished session that ended more than this many days ago." };
        var force = new Option<bool>("--force") { Description = "Stop queued or running sessions first instead of refusing them." };
        var command = new Command("delete", "Deletes sessions: their records, transcripts and raw logs. Active ones are refused unless --force.")
        {
            ids, olderThan, force,
        }.WithExamples("""
            climux session delete abc123
            climux session delete --older-than 30
            """);
        command.Validators.Add(r =>
        {
            var given = r.GetValue(ids) is { Length: > 0 };
            var days = r.GetValue(olderThan);
            if (given == days.HasValue)
                r.AddError("Give session ids or --older-than DAYS (one of them).");
            if (days is < 0)
                r.AddError("--older-than must be 0 or more days.");
        });
        command.SetAction(async (parse, cancellation) =>
        {
            IEnumerable<ClimuxSession> targets;
            if (parse.GetValue(olderThan) is { } days)
            {
                var cutoff = DateTimeOffset.UtcNow.AddDays(-days);
                targets = context.Engine.Sessions.Find(new SessionFilter()).Where(s => s.IsFinished && (s.EndedAt ?? s.QueuedAt) < cutoff);
            }
            else
            {
                targets = parse.GetValue(ids)!.Select(context.Engine.Sessions.Resolve).ToList();
            }
            var deleted = 0;
            foreach (var session in targets)
            {
                var stopReason = parse.GetValue(force) ? "Deleted with climux session delete --force." : null;
                if (await context.Engine.Sessions.DeleteAsync(session.Id, stopReason, TimeSpan.FromSeconds(30), cancellation).ConfigureAwait(false))
                    deleted++;
            }
            context.Info($"Deleted {deleted} session(s).");
            return ExitCodes.Success;
        });
        return command;
    }
}
