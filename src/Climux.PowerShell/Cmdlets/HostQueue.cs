using System.Collections.Concurrent;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// Host calls (WriteObject, WriteProgress, WriteInformation) are only allowed on the pipeline
/// thread. Background work posts them here; the cmdlet runs them while it waits for that work.
/// </summary>
internal sealed class HostQueue
{
    private readonly BlockingCollection<Action> _actions = new();

    public void Post(Action action)
    {
        try
        {
            _actions.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The wait has ended: late updates have nowhere to go.
        }
    }

    /// <summary>Runs posted actions on this (the pipeline) thread until <paramref name="work"/> ends; returns its result.</summary>
    public T Run<T>(Task<T> work, CancellationToken cancellation)
    {
        work.ContinueWith(_ => _actions.CompleteAdding(), TaskScheduler.Default);
        try
        {
            foreach (var action in _actions.GetConsumingEnumerable(cancellation))
                action();
        }
        catch (OperationCanceledException)
        {
        }
        return work.GetAwaiter().GetResult();
    }
}
