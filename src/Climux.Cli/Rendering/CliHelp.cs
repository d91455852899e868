using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Climux.Cli.Rendering;

/// <summary>Examples under a command's help (System.CommandLine's help shows the description, usage, arguments and options).</summary>
public static class CliHelp
{
    private static readonly ConditionalWeakTable<Command, string> ExamplesOf = new();

    /// <summary>Gives <paramref name="command"/> examples, one command line (or comment) a line.</summary>
    public static T WithExamples<T>(this T command, string examples) where T : Command
    {
        ExamplesOf.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>Makes the root's --help also print the examples of the command asked about, and the exit codes.</summary>
    public static void AddExamplesToHelp(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction standard)
            help.Action = new ExamplesHelpAction(standard);
    }

    private sealed class ExamplesHelpAction(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var result = standard.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            if (ExamplesOf.TryGetValue(parseResult.CommandResult.Command, out var examples))
            {
                output.WriteLine("Examples:");
                foreach (var line in examples.Split('\n'))
                    output.WriteLine("  " + line.TrimEnd());
                output.WriteLine();
            }
            output.WriteLine(ExitCodes.Help);
            return result;
        }
    }
}
