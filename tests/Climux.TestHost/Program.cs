using Climux.Core.Agents;
using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Paths;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Stats;
using Climux.Core.Store;

// A second process for the tests: several of these use one store at once.
// Usage:
//   Climux.TestHost store-hammer <climux-home> <iterations> <tag>
//     opens the store (creating and migrating it if it is new), then <iterations> times queues a
//     session of provider <tag>, stores two transcript entries for it and finishes it Completed.
//   Climux.TestHost admit-hammer <climux-home> <sessions> <limit> <tag> [host]
//     (the store is the home's, or the PostgreSQL that CLIMUX_STORE names; sessions record <host>,
//     this machine's name by default) queues <sessions> sessions, then admits them under maxActiveSessions <limit> as slots free up,
//     runs each a few milliseconds and finishes it; after each admission it counts the running
//     sessions of every process and prints "most N", the largest count it saw.
//   Climux.TestHost engine-leak <climux-home> <runs> <batch>
//     opens one engine on the home (its config.yaml names the providers), runs 20 runs to warm up,
//     then <runs> more, <batch> at a time; prints "checkpoint <runs done> fds=N store=N assemblies=N
//     other=N inotify=N threads=N pool=N managed=N" (open descriptors in all, on the store's files,
//     on loaded assemblies and the rest; threads in all and of the thread pool) after the warm-up, half way, at the end and after disposing
//     the engine, and
//     "status <status> <count>" for the sessions.
//   Climux.TestHost local-days <climux-home>
//     prints "day count" per local day of Get-ClimuxStats -By Day over all sessions, in the
//     process's time zone (set TZ), then the same counted one session at a time in .NET.
// Exit code 0 when every step succeeded.
switch (args)
{
    case ["local-days", var home]:
    {
        using var store = ClimuxStore.Open(new ClimuxHome(home));
        foreach (var row in store.Stats(StatsGrouping.Day, DateTimeOffset.FromUnixTimeMilliseconds(0), DateTimeOffset.UtcNow.AddYears(5), null, TimeZoneInfo.Local))
            Console.WriteLine($"sql {row.Key} {row.Sessions}");
        foreach (var group in store.Find(new SessionFilter()).GroupBy(s => s.QueuedAt.ToLocalTime().ToString("yyyy-MM-dd")).OrderBy(g => g.Key))
            Console.WriteLine($"net {group.Key} {group.Count()}");
        return 0;
    }
    case ["store-hammer", var home, var iterations, var tag]:
    {
        using var store = ClimuxStore.Open(new ClimuxHome(home));
        for (var i = 0; i < int.Parse(iterations); i++)
        {
            var session = Queue(store, tag);
            store.AppendEvents(session.Id, 1, [new TranscriptEntry(SessionEventKind.Message, Text: $"{tag} {i}"), new TranscriptEntry(SessionEventKind.Result, Text: "done")]);
            store.Finish(session.Id, new SessionOutcome(SessionStatus.Completed, 0, "done", null, null, null));
        }
        return 0;
    }
    case ["admit-hammer", var home, var count, var limit, var tag, .. var hostName]:
    {
        var host = hostName is [var named] ? named : Environment.MachineName;
        using var store = ClimuxStore.Open(new ClimuxHome(home));
        var config = new ClimuxConfig { Concurrency = new ConcurrencyConfig { MaxActiveSessions = int.Parse(limit), MaxSessionsPerWorkspace = int.Parse(limit) } };
        var waiting = Enumerable.Range(0, int.Parse(count)).Select(_ => Queue(store, tag, host)).ToList();
        var most = 0;
        while (waiting.Count > 0)
        {
            var admitted = waiting.FirstOrDefault(s =>
                store.Admit(s.Id, new AdmissionPolicy(config, new OrphanPolicy(host, ProcessIdentity.Current, DateTimeOffset.UtcNow)))
                    .Decision.Verdict == AdmissionVerdict.Admitted);
            if (admitted is null)
            {
                Thread.Sleep(Random.Shared.Next(1, 5));
                continue;
            }
            most = Math.Max(most, store.ActiveLoad().Count(s => s.Status == SessionStatus.Running));
            Thread.Sleep(Random.Shared.Next(2, 8));
            store.Finish(admitted.Id, new SessionOutcome(SessionStatus.Completed, 0, null, null, null, null));
            waiting.Remove(admitted);
        }
        Console.WriteLine($"most {most}");
        return 0;
    }
    case ["engine-leak", var home, var runs, var batch]:
    {
        var engine = ClimuxEngine.Open(new ClimuxHome(home));
        var config = engine.LoadConfig(null).Config;
        var directory = Directory.CreateDirectory(Path.Combine(home, "work")).FullName;
        var done = 0;
        void Run(int count)
        {
            for (var left = count; left > 0; left -= int.Parse(batch))
            {
                var handles = Enumerable.Range(0, Math.Min(left, int.Parse(batch))).Select(i =>
                {
                    var handle = engine.Runs.Queue(new RunRequest { Config = config, Prompt = $"run {done + i}", Directory = directory });
                    engine.Runs.Start(handle);
                    return handle;
                }).ToList();
                Task.WhenAll(handles.Select(h => h.Completion)).GetAwaiter().GetResult();
                done += handles.Count;
            }
        }
        void Checkpoint()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            // An fd closed while the folder is listed has no target: it is not counted.
            var fds = new DirectoryInfo("/proc/self/fd").GetFileSystemInfos().Select(fd => fd.LinkTarget).OfType<string>().ToList();
            var inotify = fds.Count(fd => fd.Contains("inotify", StringComparison.Ordinal));
            var store = fds.Count(fd => fd.StartsWith(Path.Combine(home, "climux.db"), StringComparison.Ordinal));
            var assemblies = fds.Count(fd => fd.EndsWith(".dll", StringComparison.Ordinal));
            var threads = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Threads:", StringComparison.Ordinal)).Split('\t')[^1].Trim();
            Console.WriteLine($"checkpoint {done} fds={fds.Count} store={store} assemblies={assemblies} other={fds.Count - store - assemblies} " +
                              $"inotify={inotify} threads={threads} pool={ThreadPool.ThreadCount} managed={GC.GetTotalMemory(forceFullCollection: true)}");
        }
        Run(20);
        Checkpoint();
        Run(int.Parse(runs) / 2);
        Checkpoint();
        Run(int.Parse(runs) - int.Parse(runs) / 2);
        Checkpoint();
        var statuses = engine.Store.Find(new SessionFilter()).GroupBy(s => s.Status).Select(g => $"status {g.Key} {g.Count()}").ToList();
        engine.Dispose();
        Checkpoint();
        statuses.ForEach(Console.WriteLine);
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: Climux.TestHost store-hammer <climux-home> <iterations> <tag> | admit-hammer <climux-home> <sessions> <limit> <tag> | engine-leak <climux-home> <runs> <batch> | local-days <climux-home>");
        return 2;
}

static ClimuxSession Queue(IClimuxStore store, string tag, string? host = null) => store.Insert(new NewSession
{
    Provider = tag,
    Prompt = "hammer",
    Directory = "/tmp",
    Workspace = "/hammer",
    Host = host ?? Environment.MachineName,
    HostProcess = ProcessIdentity.Current,
});
