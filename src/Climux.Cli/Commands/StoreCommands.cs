using System.CommandLine;
using System.Globalization;
using Climux.Cli.Rendering;
using Climux.Core.Engine;
using Climux.Core.Json;

namespace Climux.Cli.Commands;

/// <summary><c>climux store check|copy --to &lt;connection&gt;</c>: the store's health, and moving history into a team store.</summary>
public static class StoreCommands
{
    public static Command Create(CliContext context) => new Command("store", "The session store: check it, or copy this machine's history into a shared PostgreSQL store.")
    {
        CheckCommand(context),
        CopyCommand(context),
    };

    private static Command CheckCommand(CliContext context)
    {
        var command = new Command("check", "Checks the store's integrity and schema version without changing it (as Test-ClimuxStore). Exit code 1 when it is not healthy.")
            .WithExamples("""
                climux store check || echo "the store needs attention"
                """);
        command.SetAction(_ =>
        {
            // The static check opens nothing the engine would migrate, so a corrupt or newer store is reported, not touched.
            var check = ClimuxEngine.CheckStore(context.Home);
            context.Out.WriteLine(check.ToString());
            if (check.Advice is { } advice)
                context.Info(advice);
            return check.Healthy ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static Command CopyCommand(CliContext context)
    {
        var to = new Option<string>("--to") { Description = "The Npgsql connection string of the team store (the password from PGPASSWORD or a pgpass file).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print what was copied as JSON (from, to, copied, alreadyThere, events)." };
        var command = new Command("copy", "Copies this machine's sessions and transcripts into a shared store; idempotent (sessions already there are skipped).")
        {
            to, json,
        }.WithExamples("""
            climux store copy --to "Host=db.internal;Database=climux;Username=ann"
            """);
        command.SetAction(parse =>
        {
            var copy = context.Engine.CopyStoreTo(parse.GetValue(to)!);
            if (parse.GetValue(json))
                context.WriteJson(copy);
            else
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Copied {copy.Copied} session(s) ({copy.Events} event(s)) from {copy.From} to {copy.To}; {copy.AlreadyThere} were there already."));
            return ExitCodes.Success;
        });
        return command;
    }
}
