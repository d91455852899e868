using System.CommandLine;
using Climux.Cli.Rendering;
using Climux.Core.Json;
using Climux.Core.Quotas;

namespace Climux.Cli.Commands;

/// <summary><c>climux status [--json] [--watch]</c>: running and queued sessions, limits, today's cost.</summary>
public static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document: activeSessions, queuedSessions, maxActiveSessions, maxSessionsPerWorkspace, costToday, dailyBudget, workspaces, …" };
        var watch = new Option<bool>("--watch") { Description = "Show the status again every --interval seconds until Ctrl+C (with --json: one document per line)." };
        var interval = new Option<double>("--interval") { Description = "Seconds between two looks with --watch.", DefaultValueFactory = _ => 2 };
        var command = new Command("status", "Running and queued sessions of every process (the cmdlets' too), the limits, each workspace's load, today's cost against the daily budget.")
        {
            json, watch, interval,
        }.WithExamples("""
            climux status
            climux status --json | jq .activeSessions
            climux status --watch
            """);
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            if (!parse.GetValue(watch))
            {
                Write(context, context.Engine.Status(context.Config), asJson, compact: false);
                return ExitCodes.Success;
            }
            var seconds = parse.GetValue(interval);
            if (seconds is not (> 0 and <= 86_400))
                throw new CliException("ClimuxUsage", "--interval must be more than 0 and at most 86400 seconds.");
            var period = TimeSpan.FromSeconds(seconds);
            while (!cancellation.IsCancellationRequested)
            {
                if (!asJson && context.OutputIsTerminal)
                    context.Out.Write("\e[H\e[2J");
                Write(context, context.Engine.Status(context.Config), asJson, compact: true);
                await context.Out.FlushAsync(cancellation).ConfigureAwait(false);
                try
                {
                    await Task.Delay(period, cancellation).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(CliContext context, ClimuxStatus status, bool asJson, bool compact)
    {
        if (asJson)
        {
            var shape = StatusJson.From(status);
            context.Out.WriteLine(compact ? ClimuxJson.SerializeCompact(shape) : ClimuxJson.Serialize(shape));
            return;
        }
        var output = context.Out;
        output.WriteLine($"Sessions:   {status.ActiveSessions}/{status.MaxActiveSessions} running, {status.QueuedSessions} queued (at most {status.MaxSessionsPerWorkspace} per workspace)");
        var budget = status.DailyBudget is { } b ? $" of {Format.Usd(b)} ({status.BudgetUsed:P0})" : " (no daily budget)";
        output.WriteLine($"Cost today: {Format.Usd(status.CostToday)}{budget}");
        if (status.ActiveSessionIds.Count > 0)
            output.WriteLine($"Running:    {string.Join(' ', status.ActiveSessionIds)}");
        if (status.QueuedSessionIds.Count > 0)
            output.WriteLine($"Queued:     {string.Join(' ', status.QueuedSessionIds)}");
        if (status.Workspaces.Count == 0)
            return;
        output.WriteLine();
        var table = new Table("WORKSPACE", "RUNNING", "QUEUED", "LIMIT").AlignRight(1, 2, 3);
        foreach (var w in status.Workspaces)
            table.Add(w.Workspace, w.Running.ToString(), w.Queued.ToString(), w.Limit.ToString());
        table.Write(output);
    }
}
