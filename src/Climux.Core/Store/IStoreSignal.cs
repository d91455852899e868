namespace Climux.Core.Store;

/// <summary>
/// Wakes every Climux process sharing a store when something changes there (a session ends, a
/// stop is asked for, a slot frees up). Waiters still look again after a while of their own, in
/// case a wake-up is lost.
/// </summary>
public interface IStoreSignal : IDisposable
{
    /// <summary>
    /// Completes at the next change. Take it before looking at the store, then wait on it, so a
    /// change between the look and the wait is not missed.
    /// </summary>
    Task NextChange { get; }

    /// <summary>Tells every process (this one at once) that something changed.</summary>
    void Notify();
}

public static class StoreSignals
{
    /// <summary>Waits for <paramref name="change"/> or <paramref name="atMost"/>, whichever comes first.</summary>
    public static async Task WaitAsync(Task change, TimeSpan atMost, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var delay = Task.Delay(atMost, timeout.Token);
        await Task.WhenAny(change, delay).ConfigureAwait(false);
        // Ends the delay's timer now rather than when it would have fired: a long-lived engine waits often.
        await timeout.CancelAsync().ConfigureAwait(false);
        cancellation.ThrowIfCancellationRequested();
    }
}
