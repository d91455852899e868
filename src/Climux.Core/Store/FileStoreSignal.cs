using Climux.Core.Paths;
using Climux.Core.Platform;

namespace Climux.Core.Store;

/// <summary>
/// The signal of the SQLite store: a write to <c>CLIMUX_HOME/signal/changed</c>, seen through a
/// file watcher by every process on the machine.
/// </summary>
public sealed class FileStoreSignal : IStoreSignal
{
    private readonly string _file;
    private readonly FileSystemWatcher? _watcher;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FileStoreSignal(ClimuxHome home)
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
            _watcher?.Dispose();
            _watcher = null; // no watcher (inotify limits): waiters fall back to looking again periodically
        }
    }

    public Task NextChange => Volatile.Read(ref _next).Task;

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

    public void Dispose()
    {
        _watcher?.Dispose();
        Pulse();
    }

    private void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
