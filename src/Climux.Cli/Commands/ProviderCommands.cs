using System.CommandLine;
using Climux.Cli.Rendering;
using Climux.Core.Json;
using Climux.Core.Providers;

namespace Climux.Cli.Commands;

/// <summary><c>climux provider list [--refresh] [--json]</c>.</summary>
public static class ProviderCommands
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of providers (name, kind, command, installed, path, version, …)." };
        var refresh = new Option<bool>("--refresh") { Description = "Ask each CLI for its --version again instead of using the cached answer." };
        var list = new Command("list", "The providers the config knows (the built-in agent CLIs and commands declared under providers:): installed or not, where, which version.")
        {
            json, refresh,
        }.WithExamples("""
            climux provider list
            climux provider list --json | jq -r '.[] | select(.installed) | .name'
            """);
        list.SetAction(async (parse, cancellation) =>
        {
            var config = context.Config;
            var providers = await context.Engine.Providers().DescribeAsync(config, ProviderDirectory.Names(config),
                ProviderDirectory.DefaultVersionTimeout, parse.GetValue(refresh), context.CurrentDirectory, cancellation).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.WriteJson<IReadOnlyList<ProviderJson>>([.. providers.Select(ProviderJson.From)]);
                return ExitCodes.Success;
            }
            var table = new Table("NAME", "INSTALLED", "VERSION", "PATH");
            foreach (var p in providers)
                table.Add(p.IsDefault ? p.Name + " (default)" : p.Name, p.Installed ? "yes" : "no", p.Version, p.Path ?? p.InstallCommand);
            table.Write(context.Out);
            return ExitCodes.Success;
        });
        return new Command("provider", "The agent CLIs Climux can run.") { list };
    }
}
