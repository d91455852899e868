using Climux.Bench;

// Usage: Climux.Bench [--home <dir>] [--results <file>] [stats [sessions]] [worktrees [files]] [conflicts [files]] [team-store [runs]] [handoff]
//   --home     the Climux home of the stats benchmark, kept (seeded once, topped up, never deleted);
//              without it a temporary one is seeded and deleted
//   --results  where to write the figures as JSON (an array of BenchResult)
// With no benchmark named, every one runs. (team-worker is one process of the team-store fleet;
// handoff-wait the second process of the hand-off benchmark.)
if (args is [TeamStoreBenchmark.Worker, var store, var host, var runs, var limit])
    return TeamStoreBenchmark.RunWorker(store, host, int.Parse(runs), int.Parse(limit));
if (args is ["handoff-wait", var waitHome, var waitSession])
    return HandOffBenchmark.Wait(waitHome, waitSession);

var options = new Dictionary<string, string>();
var rest = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "--home" or "--results" && i + 1 < args.Length)
        options[args[i]] = args[++i];
    else if (args[i].StartsWith("--", StringComparison.Ordinal))
        return Usage($"unknown option '{args[i]}'");
    else
        rest.Add(args[i]);
}

var results = new List<BenchResult>();
var benchmarks = new Dictionary<string, Action<string[]>>
{
    ["stats"] = a => StatsBenchmark.Run(a, options.GetValueOrDefault("--home"), results),
    ["worktrees"] = a => WorktreeBenchmark.Run(a, results),
    ["conflicts"] = a => ConflictBenchmark.Run(a, results),
    ["team-store"] = a => TeamStoreBenchmark.Run(a, results),
    ["handoff"] = _ => HandOffBenchmark.Run(results),
};
var name = rest.FirstOrDefault();
if (name is not null && !benchmarks.ContainsKey(name))
    return Usage($"unknown benchmark '{name}'");
foreach (var (key, run) in benchmarks.Where(b => name is null || b.Key == name))
{
    Console.WriteLine($"== {key}");
    run(rest.Skip(1).ToArray());
}
if (options.TryGetValue("--results", out var resultsFile))
    BenchResult.Write(resultsFile, results);
return 0;

int Usage(string problem)
{
    Console.Error.WriteLine($"{problem}. Usage: Climux.Bench [--home <dir>] [--results <file>] [stats [sessions]] [worktrees [files]] [conflicts [files]] [team-store [runs]] [handoff]");
    return 2;
}
