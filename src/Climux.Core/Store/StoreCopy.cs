using Climux.Core.Agents;
using Climux.Core.Sessions;

namespace Climux.Core.Store;

/// <summary>What Copy-ClimuxStore did: sessions written to the target, and those it already had.</summary>
public sealed record ClimuxStoreCopy(string From, string To, int Copied, int AlreadyThere, long Events)
{
    public override string ToString() => $"{Copied} sessions ({Events} transcript entries) copied from {From} to {To}; {AlreadyThere} were there already";
}

public static class StoreCopier
{
    /// <summary>
    /// Copies every session of <paramref name="source"/> (oldest first, so parents come before their
    /// children) with its transcript into <paramref name="target"/>, leaving out those the target has
    /// already: copying twice writes nothing the second time.
    /// </summary>
    public static ClimuxStoreCopy Copy(IClimuxStore source, IClimuxStore target)
    {
        int copied = 0, there = 0;
        long events = 0;
        foreach (var session in source.Find(new SessionFilter()))
        {
            if (!target.Restore(session))
            {
                there++;
                continue;
            }
            copied++;
            var transcript = source.Events(session.Id);
            if (transcript.Count == 0)
                continue;
            target.AppendEvents(session.Id, transcript[0].Sequence,
                [.. transcript.Select(e => new TranscriptEntry(e.Kind, e.Role, e.Tool, e.Text, e.Data))]);
            events += transcript.Count;
        }
        return new ClimuxStoreCopy(source.Location, target.Location, copied, there, events);
    }
}
