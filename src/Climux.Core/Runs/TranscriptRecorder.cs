using System.Threading.Channels;
using Climux.Core.Agents;
using Climux.Core.Sessions;
using Climux.Core.Store;

namespace Climux.Core.Runs;

/// <summary>
/// Numbers transcript entries, shows them to watchers at once, and stores them as they arrive
/// (up to a limit). Stores run on a writer of their own that takes everything waiting in one
/// transaction: one entry at a time when the agent is quiet, large batches when it floods.
/// </summary>
internal sealed class TranscriptRecorder
{
    private readonly IClimuxStore _store;
    private readonly RunHandle _handle;
    private readonly Func<bool> _restoreRow;
    private readonly Channel<Item> _pending = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _next = 1;
    private bool _capped;

    /// <summary>Entries to store from sequence number <c>First</c>, or (with <c>Flushed</c>) a mark to signal once all before it are stored.</summary>
    private sealed record Item(long First, IReadOnlyList<TranscriptEntry> Entries, TaskCompletionSource? Flushed = null);

    /// <param name="restoreRow">Writes the session's row again when the store has lost it; true once the row exists.</param>
    public TranscriptRecorder(IClimuxStore store, RunHandle handle, Func<bool> restoreRow)
    {
        _store = store;
        _handle = handle;
        _restoreRow = restoreRow;
        _writer = Task.Run(WriteAsync);
    }

    public void Record(IReadOnlyList<TranscriptEntry> entries)
    {
        if (entries.Count == 0)
            return;
        var kept = entries;
        if (_next + entries.Count > RunEngine.MaxStoredEvents + 1)
        {
            // Past the limit keep only what says how the run ends; the raw log has the rest.
            kept = entries.Where(e => e.Kind is SessionEventKind.Result or SessionEventKind.Status).ToList();
            if (!_capped)
            {
                _capped = true;
                kept = [new TranscriptEntry(SessionEventKind.Error, Text: $"The transcript keeps the first {RunEngine.MaxStoredEvents} entries; the rest is in the raw log."), .. kept];
            }
        }
        if (kept.Count == 0)
            return;
        var first = _next;
        _next += kept.Count;
        _pending.Writer.TryWrite(new Item(first, kept));
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < kept.Count; i++)
        {
            var entry = kept[i];
            _handle.Publish(new RunTranscriptUpdate(new ClimuxSessionEvent
            {
                SessionId = _handle.SessionId,
                Sequence = first + i,
                At = at,
                Kind = entry.Kind,
                Role = entry.Role,
                Tool = entry.Tool,
                Text = entry.Text,
                Data = entry.Data,
            }));
        }
    }

    /// <summary>Waits until everything recorded so far is stored (or given up). With <paramref name="last"/> the writer then stops.</summary>
    public async Task FlushAsync(bool last = false)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_pending.Writer.TryWrite(new Item(0, [], flushed)))
            await flushed.Task.ConfigureAwait(false);
        if (last)
        {
            _pending.Writer.TryComplete();
            await _writer.ConfigureAwait(false);
        }
    }

    private async Task WriteAsync()
    {
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<TranscriptEntry>();
            var flushes = new List<TaskCompletionSource>();
            long first = 0;
            while (reader.TryRead(out var item))
            {
                if (item.Flushed is not null)
                    flushes.Add(item.Flushed);
                else
                {
                    if (batch.Count == 0)
                        first = item.First;
                    batch.AddRange(item.Entries);
                }
            }
            if (batch.Count > 0)
                await StoreAsync(first, batch).ConfigureAwait(false);
            foreach (var flushed in flushes)
                flushed.TrySetResult();
        }
    }

    /// <summary>
    /// A store busy past its own timeout (or out of disk) gets a few more tries; after that the
    /// batch is given up, so the run still ends with its outcome recorded. The raw log keeps it.
    /// </summary>
    private async Task StoreAsync(long first, List<TranscriptEntry> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (!_store.AppendEvents(_handle.SessionId, first, batch) && _restoreRow())
                    _store.AppendEvents(_handle.SessionId, first, batch);
                return;
            }
            catch (StoreException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt)).ConfigureAwait(false);
            }
            catch (StoreException)
            {
                return;
            }
        }
    }
}
