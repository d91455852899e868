using System.CommandLine;
using Climux.Cli.Commands;
using Climux.Cli.Rendering;

namespace Climux.Cli;

/// <summary>The <c>climux</c> command line: every command group, parsed by System.CommandLine.</summary>
public static class CliApp
{
    public const string Description = """
        Runs AI coding agents (Claude Code, Codex, Gemini CLI, OpenCode, any command) in parallel, one
        task per git worktree, with their sessions in a store shared with the Climux PowerShell module
        (CLIMUX_HOME, default ~/.climux). --json prints one JSON document on stdout and nothing else;
        human text and errors go to stderr. NO_COLOR turns colors off.
        """;

    /// <summary>The root command with every group; each group's file builds its commands over <paramref name="context"/>.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(Description);
        foreach (var command in new[]
                 {
                     RunCommand.Create(context),
                     SessionCommands.Create(context),
                     WorktreeCommands.Create(context),
                     StatusCommand.Create(context),
                     StatsCommand.Create(context),
                     ProviderCommands.Create(context),
                     ConfigCommands.Create(context),
                     CompletionCommand.Create(context),
                     StoreCommands.Create(context),
                     McpCommand.Create(context),
                 })
            root.Subcommands.Add(command);
        CliHelp.AddExamplesToHelp(root);
        return root;
    }

    /// <summary>Parses and runs one command line; returns its exit code (<see cref="ExitCodes"/>). Disposes <paramref name="context"/>.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellation = default)
    {
        await using (context.ConfigureAwait(false))
        {
            context.Arguments = args;
            var root = Build(context);
            // No response files: '@name' is a workspace alias (--workspace @shop), never a file to read arguments from.
            var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            // --help is answered even when the rest of the line is incomplete (climux run --help):
            // its action, not the parse errors, decides then.
            var helpAsked = root.Options.OfType<System.CommandLine.Help.HelpOption>().Any(help => parse.GetResult(help) is not null);
            if (parse.Errors.Count > 0 && !helpAsked)
            {
                foreach (var error in parse.Errors)
                    context.Error.WriteLine($"climux: {context.Paint("error", Ansi.Red)} ClimuxUsage: {error.Message}");
                context.Error.WriteLine($"Run '{string.Join(' ', CommandPath(parse.CommandResult.Command))} --help' for usage.");
                return ExitCodes.BadInput;
            }
            try
            {
                return await parse.InvokeAsync(new InvocationConfiguration
                {
                    EnableDefaultExceptionHandler = false,
                    // Ctrl+C: the runs it stops get time to record their end.
                    ProcessTerminationTimeout = TimeSpan.FromSeconds(20),
                    Output = context.Out,
                    Error = context.Error,
                }, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested || parse.Action is not null)
            {
                context.Error.WriteLine("climux: interrupted");
                return ExitCodes.Stopped;
            }
            catch (Exception e)
            {
                return CliErrors.Report(context, e);
            }
        }
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (Symbol? symbol = command; symbol is Command c; symbol = c.Parents.FirstOrDefault())
            names.Push(c is RootCommand ? "climux" : c.Name);
        return names;
    }
}
