using Climux.Core.Engine;
using System.CommandLine;
using System.Globalization;
using Climux.Cli.Rendering;
using Climux.Core.Json;
using Climux.Core.Stats;
using Climux.PowerShell.Cmdlets;

namespace Climux.Cli.Commands;

/// <summary><c>climux stats [--by provider|model|workspace|worktree|day] [--from] [--to] [--provider] [--json]</c>.</summary>
public static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var by = new Option<StatsGrouping>("--by") { Description = "Group by provider (the default), model, workspace, worktree or day.", DefaultValueFactory = _ => StatsGrouping.Provider };
        var from = new Option<DateTime?>("--from") { Description = "Start (a date counts from its midnight, local time). Default: today's midnight." };
        var to = new Option<DateTime?>("--to") { Description = "End (a date alone includes that whole day). Default: now." };
        var provider = new Option<string[]>("--provider") { Description = "Only sessions of these providers (exact names).", AllowMultipleArgumentsPerToken = true };
        var workspace = new Option<string?>("--workspace") { Description = "Only sessions of this repository (any folder in it, or @alias from workspaces:)." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of rows (by, key, sessions, succeeded, failed, costUsd, totalDurationSeconds, …)." };
        var command = new Command("stats", "Usage and cost of the sessions queued in a period, grouped; most expensive first (by date with --by day).")
        {
            by, from, to, provider, workspace, json,
        }.WithExamples("""
            climux stats --by provider
            climux stats --by day --from 2026-01-01 --json | jq '.[] | {key, costUsd}'
            """);
        command.SetAction(parse =>
        {
            if (StatsPeriod.Resolve(parse.GetValue(from), parse.GetValue(to)) is not { } period)
                throw new CliException(ErrorIds.StatsInvalidRange, "--to must come after --from.");
            var providers = parse.GetValue(provider) is { Length: > 0 } names ? names : null;
            var workspaceRoot = parse.GetValue(workspace) is { } w ? ClimuxEngine.WorkspaceRoot(w, context.CurrentDirectory, context.Config) : null;
            var rows = context.Engine.Stats(parse.GetValue(by), period.From, period.To, providers, workspaceRoot);
            if (parse.GetValue(json))
            {
                context.WriteJson<IReadOnlyList<StatsRowJson>>([.. rows.Select(StatsRowJson.From)]);
                return ExitCodes.Success;
            }
            var table = new Table(parse.GetValue(by).ToString().ToUpperInvariant(), "SESSIONS", "OK", "FAILED", "TOKENS", "COST", "MEAN TIME").AlignRight(1, 2, 3, 4, 5, 6);
            foreach (var row in rows)
                table.Add(row.Key, row.Sessions.ToString(CultureInfo.InvariantCulture), row.Succeeded.ToString(CultureInfo.InvariantCulture),
                    row.Failed.ToString(CultureInfo.InvariantCulture), Format.Number(row.TotalTokens), Format.Usd(row.CostUsd), Format.Seconds(row.MeanDurationSeconds));
            if (table.Count == 0)
                context.Info("No sessions in that period.");
            else
                table.Write(context.Out);
            return ExitCodes.Success;
        });
        return command;
    }
}
