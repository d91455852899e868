using System.Collections.Concurrent;
using Climux.Core.Engine;
using Climux.Core.Paths;
using Climux.Core.Store;

namespace Climux.PowerShell.Hosting;

/// <summary>
/// One engine per Climux home for the life of the pwsh process: runs started by one command are
/// found by the next (Stop-ClimuxSession, Wait-ClimuxSession, Get-Job). When pwsh exits, the runs
/// it hosts are stopped and their sessions marked Stopped, as its agents die with it.
/// </summary>
internal static class EngineCache
{
    private static readonly ConcurrentDictionary<string, Lazy<ClimuxEngine>> Engines = new(StringComparer.Ordinal);
    private static int _exitHooked;

    /// <exception cref="StoreException">The store cannot be opened; the next call tries again.</exception>
    public static ClimuxEngine For(ClimuxHome home)
    {
        if (Interlocked.Exchange(ref _exitHooked, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll("The PowerShell process that ran it exited.");
        var engine = Engines.GetOrAdd(home.Root, _ => new Lazy<ClimuxEngine>(() =>
            ClimuxEngine.Open(home, StoreErrors.Reporting(ClimuxStore.Open(home)))));
        try
        {
            return engine.Value;
        }
        catch
        {
            Engines.TryRemove(KeyValuePair.Create(home.Root, engine));
            throw;
        }
    }

    private static void StopAll(string reason)
    {
        foreach (var engine in Engines.Values.Where(e => e.IsValueCreated))
            engine.Value.Runs.StopAll(reason);
    }
}
