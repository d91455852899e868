using Climux.Bench;

// Usage: Climux.Bench [stats [sessions]] [worktrees [files]] [conflicts [files]]; with no arguments, every benchmark.
var benchmarks = new Dictionary<string, Func<string[], Task>>
{
    ["stats"] = StatsBenchmark.RunAsync,
    ["worktrees"] = WorktreeBenchmark.RunAsync,
    ["conflicts"] = ConflictBenchmark.RunAsync,
};
var name = args.FirstOrDefault();
if (name is not null && !benchmarks.ContainsKey(name))
{
    Console.Error.WriteLine($"unknown benchmark '{name}'; known: {string.Join(", ", benchmarks.Keys)}");
    return 2;
}
foreach (var (key, run) in benchmarks.Where(b => name is null || b.Key == name))
{
    Console.WriteLine($"== {key}");
    await run(args.Skip(1).ToArray());
}
return 0;
