using System.CommandLine;
using System.IO.Enumeration;
using Climux.Cli.Rendering;
using Climux.Core.Config;
using Climux.Core.Json;
using Climux.PowerShell.Cmdlets;

namespace Climux.Cli.Commands;

/// <summary><c>climux config get|set|init</c>: the same files and rules as Get-/Set-/Initialize-ClimuxConfig.</summary>
public static class ConfigCommands
{
    public static Command Create(CliContext context) => new Command("config", "The user config ($CLIMUX_HOME/config.yaml) and the project config (.climux/config.yaml in the repository).")
    {
        GetCommand(context), SetCommand(context), InitCommand(context),
    };

    private static Option<ConfigScope> ScopeOption() => new("--scope") { Description = "user (the default), project (.climux/config.yaml of the current repository), or store (a team setting in the shared PostgreSQL store: a ceiling for every machine).", DefaultValueFactory = _ => ConfigScope.User };

    private static string ConfigFile(CliContext context, ConfigScope scope) => scope switch
    {
        ConfigScope.User => context.Home.ConfigFile,
        ConfigScope.Project => context.WorkspaceRoot is { } workspace
            ? ConfigLoader.ProjectFile(workspace)
            : throw new CliException(ErrorIds.NotInWorkspace, $"'{context.CurrentDirectory}' is not inside a git repository, so it has no project config. Use --scope user."),
        _ => throw new CliException("ClimuxUsage", $"--scope {scope} cannot be set from the command line yet; use user or project."),
    };

    private static Command GetCommand(CliContext context)
    {
        var keys = new Argument<string[]>("key") { Description = "Keys or sections (concurrency, providers.codex.command); * and ? match. Default: every key.", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of entries (key, value, scope, path, line)." };
        var command = new Command("get", "Shows the effective config: each key's value (secrets masked) and where it came from.") { keys, json }.WithExamples("""
            climux config get
            climux config get concurrency
            climux config get concurrency.maxActiveSessions --json | jq -r '.[0].value'
            """);
        command.SetAction(parse =>
        {
            var entries = context.LoadedConfig.Entries().ToList();
            var wanted = parse.GetValue(keys) ?? [];
            var selected = wanted.Length == 0 ? entries : entries.Where(e => wanted.Any(k =>
                FileSystemName.MatchesSimpleExpression(k, e.Key) || e.Key.StartsWith(k + ".", StringComparison.OrdinalIgnoreCase))).ToList();
            foreach (var key in wanted.Where(k => k.IndexOfAny(['*', '?']) < 0 && !selected.Any(e => e.Key.Equals(k, StringComparison.OrdinalIgnoreCase) || e.Key.StartsWith(k + ".", StringComparison.OrdinalIgnoreCase))))
            {
                try
                {
                    ConfigKeys.Resolve(key);
                }
                catch (ConfigException e)
                {
                    throw new CliException(ErrorIds.ConfigKeyInvalid, e.Message);
                }
            }
            if (parse.GetValue(json))
            {
                context.WriteJson<IReadOnlyList<ConfigEntryJson>>([.. selected.Select(ConfigEntryJson.From)]);
                return ExitCodes.Success;
            }
            var table = new Table("KEY", "VALUE", "SCOPE", "FROM");
            foreach (var e in selected)
                table.Add(e.Key, e.ValueText, e.Scope.ToString(), e.Path is null ? e.Reason : $"{e.Path}:{e.Line}");
            table.Write(context.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command SetCommand(CliContext context)
    {
        var key = new Argument<string>("key") { Description = "The dotted key, e.g. concurrency.maxActiveSessions or providers.codex.command." };
        var value = new Argument<string?>("value") { Description = "The value: text, a number, true/false, or YAML flow syntax for lists and mappings ([a, b], {command: aider}).", Arity = ArgumentArity.ZeroOrOne };
        var remove = new Option<bool>("--remove") { Description = "Remove the key from the file instead (it falls back to the next scope or the default)." };
        var scope = ScopeOption();
        var command = new Command("set", "Sets (or removes) one key in the user or project config file, keeping the file's comments and layout.")
        {
            key, value, remove, scope,
        }.WithExamples("""
            climux config set concurrency.maxActiveSessions 3
            climux config set monitoring.maxDailyBudget 10.00
            climux config set providers.my-agent '{command: aider, args: [--yes], output: text}'
            climux config set defaultProvider gemini-cli --scope project
            climux config set monitoring.alertThreshold --remove
            climux config set concurrency.maxActiveSessions 2 --scope store
            """);
        command.Validators.Add(r =>
        {
            if (r.GetValue(remove) == (r.GetValue(value) is not null))
                r.AddError("Give a value, or --remove (one of them).");
        });
        command.SetAction(parse =>
        {
            var name = parse.GetValue(key)!;
            try
            {
                ConfigKeys.Resolve(name);
            }
            catch (ConfigException e)
            {
                throw new CliException(ErrorIds.ConfigKeyInvalid, e.Message);
            }
            var configScope = parse.GetValue(scope);
            if (configScope == ConfigScope.Store)
            {
                try
                {
                    context.Engine.SetTeamSetting(name, parse.GetValue(remove) ? null : ConfigValueText.Parse(parse.GetValue(value)!), parse.GetValue(remove));
                }
                catch (ConfigException e)
                {
                    throw new CliException(ErrorIds.ConfigValueInvalid, e.Message);
                }
                catch (InvalidOperationException e)
                {
                    throw new CliException(ErrorIds.StoreNotShared, e.Message, ExitCodes.Failed);
                }
                return ExitCodes.Success;
            }
            var file = ConfigFile(context, configScope);
            if (configScope == ConfigScope.User)
                context.Home.EnsureCreated();
            try
            {
                if (parse.GetValue(remove))
                {
                    if (!ConfigFileEditor.Remove(file, name, configScope))
                        context.Info($"'{name}' was not set in {file}.");
                }
                else
                    ConfigFileEditor.Set(file, name, ConfigValueText.Parse(parse.GetValue(value)!), configScope);
            }
            catch (ConfigException e) when (e.FilePath is null)
            {
                throw new CliException(ErrorIds.ConfigValueInvalid, e.Message);
            }
            context.ForgetConfig();
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command InitCommand(CliContext context)
    {
        var scope = ScopeOption();
        var force = new Option<bool>("--force") { Description = "Replace an existing file (kept as <file>.bak)." };
        var command = new Command("init", "Writes a commented starter config file and prints its path.") { scope, force }.WithExamples("""
            climux config init
            climux config init --scope project
            """);
        command.SetAction(parse =>
        {
            var configScope = parse.GetValue(scope);
            var file = ConfigFile(context, configScope);
            var exists = File.Exists(file);
            if (exists && !parse.GetValue(force))
                throw new CliException(ErrorIds.ConfigExists, $"'{file}' already exists. Use --force to replace it (the old file is kept as {Path.GetFileName(file)}.bak), or climux config set to change one key.", ExitCodes.Failed);
            if (configScope == ConfigScope.User)
                context.Home.EnsureCreated();
            if (exists)
                File.Copy(file, file + ".bak", overwrite: true);
            ConfigFileEditor.Write(file, ConfigTemplate.For(configScope), configScope);
            context.Out.WriteLine(file);
            return ExitCodes.Success;
        });
        return command;
    }
}
