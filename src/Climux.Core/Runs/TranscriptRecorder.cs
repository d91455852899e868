using System.Threading.Channels;
using Climux.Core.Agents;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Text;

namespace Climux.Core.Runs;

/// <summary>
/// Numbers transcript entries, shows them to watchers at once, and stores them as they arrive
/// (up to a limit). Stores run on a writer of their own that takes everything waiting in one
/// transaction: one entry at a time when the agent is quiet, large batches when it floods.
/// </summary>
/// <remarks>
/// What is stored and shown is made safe first: terminal control sequences stripped, an entry cut
/// to <see cref="MaxEntryBytes"/> with a marker. A session stores at most
/// <c>monitoring.maxTranscriptMiB</c> of entries and <see cref="RunEngine.MaxStoredEvents"/> of them;
/// past either only how the run ends is kept, so neither the store nor this process's memory
/// grows with a flood. The raw log keeps the output as it came, up to its own cap.
/// </remarks>
internal sealed class TranscriptRecorder
{
    /// <summary>Longest entry stored (UTF-8 bytes of its text and data); longer ones are cut.</summary>
    public const int MaxEntryBytes = 1024 * 1024;

    /// <summary>Room past the cap for the entries that say how the run ended.</summary>
    private const long OutcomeReserve = 2L * MaxEntryBytes;

    private readonly IClimuxStore _store;
    private readonly RunHandle _handle;
    private readonly Func<bool> _restoreRow;
    private readonly Channel<Item> _pending = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly long _maxBytes;
    private long _next = 1;
    private long _bytes;
    private bool _capped;

    /// <summary>Entries to store from sequence number <c>First</c>, or (with <c>Flushed</c>) a mark to signal once all before it are stored.</summary>
    private sealed record Item(long First, IReadOnlyList<TranscriptEntry> Entries, TaskCompletionSource? Flushed = null);

    /// <param name="restoreRow">Writes the session's row again when the store has lost it; true once the row exists.</param>
    public TranscriptRecorder(IClimuxStore store, RunHandle handle, Func<bool> restoreRow)
    {
        _store = store;
        _handle = handle;
        _restoreRow = restoreRow;
        _maxBytes = handle.Plan.Request.Config.Monitoring.MaxTranscriptMiB * 1024L * 1024L;
        _writer = Task.Run(WriteAsync);
    }

    public void Record(IReadOnlyList<TranscriptEntry> entries)
    {
        if (entries.Count == 0)
            return;
        var kept = new List<TranscriptEntry>(entries.Count);
        foreach (var entry in entries.Select(Safe))
        {
            var bytes = TerminalText.Utf8Bytes(entry.Text) + TerminalText.Utf8Bytes(entry.Data);
            var byCount = _next + kept.Count > RunEngine.MaxStoredEvents;
            var bySize = _bytes + bytes > _maxBytes;
            if (byCount || bySize)
            {
                // Past the cap keep only what says how the run ends (Climux's own notes, and the
                // agent's result while there is room for it); the raw log has the rest.
                if (!_capped)
                {
                    _capped = true;
                    kept.Add(new TranscriptEntry(SessionEventKind.Error, Text: bySize
                        ? $"The transcript reached its cap of {_maxBytes / 1024 / 1024} MiB (monitoring.maxTranscriptMiB): from here on only how the run ends is stored; the raw log has the rest."
                        : $"The transcript keeps the first {RunEngine.MaxStoredEvents} entries: from here on only how the run ends is stored; the raw log has the rest."));
                }
                if (!(entry.Kind == SessionEventKind.Status || entry.Kind == SessionEventKind.Result && _bytes + bytes <= _maxBytes + OutcomeReserve))
                    continue;
            }
            _bytes += bytes;
            kept.Add(entry);
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

    /// <summary>The entry as it may be stored and shown: no control sequences, no field longer than <see cref="MaxEntryBytes"/>.</summary>
    private static TranscriptEntry Safe(TranscriptEntry entry) => entry with
    {
        Role = TerminalText.Clean(TerminalText.KeepStart(entry.Role, 256)),
        Tool = TerminalText.Clean(TerminalText.KeepStart(entry.Tool, 1024)),
        Text = TerminalText.Clean(TerminalText.KeepStart(entry.Text, MaxEntryBytes)),
        Data = TerminalText.Clean(TerminalText.KeepStart(entry.Data, MaxEntryBytes)),
    };

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
