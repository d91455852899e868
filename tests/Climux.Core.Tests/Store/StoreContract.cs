using Climux.Core.Config;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Store;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Store;

/// <summary>
/// What every implementation of <see cref="IClimuxStore"/> must do, written against the interface
/// only. A database gets the whole suite by subclassing with a factory for a fresh, empty store
/// (see <see cref="SqliteStoreContract"/>). The cases are spread over the partial files
/// StoreContract.*.cs: sessions, transcripts, admission, usage, worktrees and health.
/// </summary>
public abstract partial class StoreContract : IDisposable
{
    private readonly List<IClimuxStore> _opened = [];

    protected StoreContract()
    {
        Store = Open();
        Sessions = new SessionFactory(Store);
    }

    /// <summary>A scratch folder for the test, deleted afterwards.</summary>
    protected TempFolder Temp { get; } = new();

    protected IClimuxStore Store { get; }

    private protected SessionFactory Sessions { get; }

    /// <summary>A new, empty store of the implementation under test.</summary>
    protected abstract IClimuxStore CreateStore();

    /// <summary>Another handle on the same store (another process would open one like it).</summary>
    protected abstract IClimuxStore Reopen();

    protected IClimuxStore Open()
    {
        lock (_opened)
        {
            var store = _opened.Count == 0 ? CreateStore() : Reopen();
            _opened.Add(store);
            return store;
        }
    }

    public virtual void Dispose()
    {
        lock (_opened)
            foreach (var store in _opened)
                store.Dispose();
        Temp.Dispose();
    }

    protected static ClimuxConfig Limits(int maxActive = 2, int perWorkspace = 2, decimal budget = 0) => new()
    {
        Concurrency = new ConcurrencyConfig { MaxActiveSessions = maxActive, MaxSessionsPerWorkspace = perWorkspace },
        Monitoring = new MonitoringConfig { MaxDailyBudget = budget },
    };

    protected static OrphanPolicy Orphans(DateTimeOffset? now = null) => new(Environment.MachineName, ProcessIdentity.Current, now ?? DateTimeOffset.UtcNow);

    protected AdmissionResult Admit(string id, ClimuxConfig config) => Store.Admit(id, new AdmissionPolicy(config, Orphans()));
}

/// <summary>The contract on the embedded SQLite store.</summary>
public sealed partial class SqliteStoreContract : StoreContract
{
    protected override IClimuxStore CreateStore() => ClimuxStore.Open(Temp.Home());

    protected override IClimuxStore Reopen() => ClimuxStore.Open(Temp.Home());
}
