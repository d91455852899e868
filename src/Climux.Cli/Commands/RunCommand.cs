using System.CommandLine;
using Climux.Cli.Rendering;
using Climux.Core.Runs;
using Climux.Core.Sessions;

namespace Climux.Cli.Commands;

/// <summary><c>climux run &lt;prompt&gt; [--provider] [--mode] [--worktree] [--workspace] [--model] [--depends-on] …</c>.</summary>
public static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var prompt = new Argument<string>("prompt") { Description = "The task for the agent, passed to it as it is (no shell sees it)." };
        var provider = new Option<string?>("--provider") { Description = "claude-code, codex, gemini-cli, opencode, or a command declared under providers: (default: defaultProvider)." };
        var mode = new Option<RunMode?>("--mode") { Description = "task (edits files, in the CLI's safe write mode; the default) or plan (read-only)." };
        var worktree = new Option<string?>("--worktree") { Description = "The worktree to run in (climux worktree list), in the repository of --workspace or the current folder." };
        var workspace = new Option<string?>("--workspace") { Description = "A folder of the repository to run in (its top is used), or @alias from workspaces:; default: the current folder." };
        var model = new Option<string?>("--model") { Description = "The model to ask the agent for (default: providers.<name>.model, else the CLI's own)." };
        var dependsOn = new Option<string[]>("--depends-on") { Description = "Sessions (ids, names, id prefixes) that must complete first; the run waits queued until they have.", AllowMultipleArgumentsPerToken = true };
        var preset = new Option<string?>("--preset") { Description = "A preset from presets: (provider, mode, model, timeout, max cost, args); options given here win." };
        var noFallback = new Option<bool>("--no-fallback") { Description = "Do not go on with the next provider of fallbackOrder on a rate limit or a missing CLI." };
        var mergeDependencies = new Option<bool>("--merge-dependencies") { Description = "Merge the worktrees of the --depends-on sessions into this run's worktree, in order, before the agent starts." };
        var resolveConflicts = new Option<bool>("--resolve-conflicts") { Description = "With --merge-dependencies: a conflict is given to this run's agent to resolve first instead of failing the run." };
        var name = new Option<string?>("--name") { Description = "A name for the session, usable wherever its id is." };
        var command = new Command("run", """
            Queues and runs an agent in the foreground until its session ends (so `&` and `wait` work),
            with its events on stderr when that is a terminal; the final answer goes to stdout (or the
            session with --json). Exit code 0 only when the session Completed.
            """)
        {
            prompt, provider, mode, worktree, workspace, model, dependsOn, name, preset, noFallback, mergeDependencies, resolveConflicts,
        }.WithExamples("""
            climux run "Add rate limiting to the login endpoint" --worktree feat-backend --mode task --provider claude-code &
            SESSION1=$(climux run "Design the user-auth API" --mode plan --json | jq -r .sessionId)
            climux run "Implement the API designed before" --depends-on $SESSION1 --background
            climux run "Fix the flaky test" --timeout 1800 --max-cost 2.50 || echo "exit code $?"
            """);
        var launcher = new RunLauncher(context, command);
        command.SetAction((parse, cancellation) => launcher.LaunchAsync(parse, () =>
        {
            var config = context.Config;
            return new RunRequest
            {
                Config = config,
                Prompt = parse.GetValue(prompt)!,
                Directory = context.Engine.ResolveRunDirectory(context.CurrentDirectory, parse.GetValue(workspace), parse.GetValue(worktree), config),
                Provider = parse.GetValue(provider),
                Mode = parse.GetValue(mode),
                Model = parse.GetValue(model),
                Name = parse.GetValue(name),
                Worktree = parse.GetValue(worktree),
                DependsOn = parse.GetValue(dependsOn) ?? [],
                Preset = parse.GetValue(preset),
                NoFallback = parse.GetValue(noFallback),
                MergeDependencies = parse.GetValue(mergeDependencies),
                ResolveConflicts = parse.GetValue(resolveConflicts),
                Options = launcher.Options(parse),
            };
        }, cancellation));
        return command;
    }
}
