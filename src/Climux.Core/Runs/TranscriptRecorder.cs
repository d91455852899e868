using System.Threading.Channels;
using Climux.Core.Agents;
using Climux.Core.Sessions;

namespace Climux.Core.Runs;

/// <summary>
/// Numbers transcript entries, shows them to watchers at once, and stores them as they arrive
/// (up to a limit). Stores run on a writer of their own that takes everything waiting in one
/// transaction: one entry at a time when the agent is quiet, large batches when it floods.
/// </summary>
internal sealed class TranscriptRecorder
{
    private readonly SessionRepository _repository;
    private readonly RunHandle _handle;
    private readonly Channel<(long First, IReadOnlyList<TranscriptEntry> Entries)> _pending =
        Channel.CreateUnbounded<(long, IReadOnlyList<TranscriptEntry>)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _writer;
    private long _next = 1;
    private bool _capped;

    public TranscriptRecorder(SessionRepository repository, RunHandle handle)
    {
        _repository = repository;
        _handle = handle;
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
        _pending.Writer.TryWrite((first, kept));
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

    /// <summary>Waits until everything recorded is stored.</summary>
    public async Task FlushAsync()
    {
        _pending.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<TranscriptEntry>();
            long first = 0;
            while (reader.TryRead(out var item))
            {
                if (batch.Count == 0)
                    first = item.First;
                batch.AddRange(item.Entries);
            }
            _repository.AppendEvents(_handle.SessionId, first, batch);
        }
    }
}
