using Climux.Core.Platform;
using Climux.Core.Store;

namespace Climux.Core.Engine;

/// <summary>
/// Keeps this engine's hold on its sessions in a shared store: every third of the lease it
/// extends the lease of each session it hosts, so other machines know it is alive. When it cannot
/// (the store is unreachable) and the lease would run out before its next chance, it stops its own
/// agents: other machines are about to mark those sessions Orphaned and give their slots away, and
/// a slot must never be used twice.
/// </summary>
public sealed class LeaseKeeper : IDisposable
{
    private readonly ClimuxEngine _engine;
    private readonly Timer _timer;
    private readonly object _gate = new();
    private DateTimeOffset _heldUntil;

    internal LeaseKeeper(ClimuxEngine engine, TimeSpan lease)
    {
        _engine = engine;
        Lease = lease;
        _heldUntil = DateTimeOffset.UtcNow + lease;
        _timer = new Timer(_ => Renew(), null, Interval, Interval);
    }

    /// <summary>How long a hold lasts without renewal.</summary>
    public TimeSpan Lease { get; }

    /// <summary>How often it is renewed.</summary>
    public TimeSpan Interval => Lease / 3;

    /// <summary>The expiry of a lease taken now.</summary>
    public DateTimeOffset NewLease() => DateTimeOffset.UtcNow + Lease;

    /// <summary>Renews now; false when the store could not be reached.</summary>
    public bool Renew()
    {
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            if (_engine.Runs.Active.Count == 0)
            {
                _heldUntil = now + Lease;
                return true;
            }
            try
            {
                _engine.Store.RenewLeases(_engine.HostName, ProcessIdentity.Current, now + Lease);
                _heldUntil = now + Lease;
                return true;
            }
            catch (StoreException)
            {
                if (now + Interval >= _heldUntil)
                    _engine.Runs.StopAll($"Its host {_engine.HostName} could not renew its lease on the shared store {_engine.Store.Location} " +
                                         $"before it ran out ({_heldUntil:u}), so other machines may reuse its slot.");
                return false;
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
