using System.Collections.Concurrent;
using Climux.Core.Paths;
using Climux.Core.Platform;

namespace Climux.Core.Runs;

/// <summary>
/// Wakes every Climux process sharing a store when something changes there (a session ends, a
/// stop is asked for): a write to <c>CLIMUX_HOME/signal/changed</c>, seen through a file watcher. Waiters
/// still look again after a while of their own, in case a wake-up is lost.
/// </summary>
public sealed class StoreSignal
{
    private static readonly ConcurrentDictionary<string, StoreSignal> ByHome = new(StringComparer.Ordinal);
    private readonly string _file;
    private readonly FileSystemWatcher? _watcher;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StoreSignal(ClimuxHome home)
    {
        home.EnsureCreated();
        // A folder of its own: inotify watches folders, and the store's own writes must not wake anyone.
        var folder = Path.Combine(home.Root, "signal");
        OwnerOnly.EnsureDirectory(folder);
        _file = Path.Combine(folder, "changed");
        OwnerOnly.EnsureFile(_file);
        try
        {
            _watcher = new FileSystemWatcher(folder, "changed")
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
            };
            _watcher.Changed += (_, _) => Pulse();
            _watcher.Created += (_, _) => Pulse();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _watcher = null; // no watcher (inotify limits): waiters fall back to looking again periodically
        }
    }

    public static StoreSignal For(ClimuxHome home) => ByHome.GetOrAdd(home.Root, _ => new StoreSignal(home));

    /// <summary>
    /// Completes at the next change. Take it before looking at the store, then wait on it, so a
    /// change between the look and the wait is not missed.
    /// </summary>
    public Task NextChange => Volatile.Read(ref _next).Task;

    /// <summary>Tells every process (this one at once) that something changed.</summary>
    public void Notify()
    {
        Pulse();
        try
        {
            using var stream = new FileStream(_file, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(0, SeekOrigin.End);
            if (stream.Length > 4096)
                stream.SetLength(0);
            stream.WriteByte((byte)'.');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: every waiter looks again by itself a few seconds later.
        }
    }

    /// <summary>Waits for <paramref name="change"/> or <paramref name="atMost"/>, whichever comes first.</summary>
    public static async Task WaitAsync(Task change, TimeSpan atMost, CancellationToken cancellation)
    {
        var delay = Task.Delay(atMost, cancellation);
        await Task.WhenAny(change, delay).ConfigureAwait(false);
        cancellation.ThrowIfCancellationRequested();
    }

    private void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
