using System.Reflection;
using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Engine;

/// <summary>
/// Two "machines" (engines with their own homes and host names) sharing one PostgreSQL store:
/// slots handed across them, leases renewed, a silent host's sessions reclaimed, and a host that
/// cannot renew stopping its own agents.
/// </summary>
[Trait("Store", "Postgres")]
public sealed class SharedStoreEngineTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const int LeaseSeconds = 3;
    private readonly TempFolder _temp = new("climux-shared");
    private readonly TestPostgres _database = new();
    private readonly List<ClimuxEngine> _engines = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var engine in _engines)
            await engine.DisposeAsync();
        _database.Dispose();
        _temp.Dispose();
    }

    private ClimuxEngine Machine(string host, Func<IClimuxStore, IClimuxStore>? wrap = null)
    {
        var home = _temp.Home(host);
        home.EnsureCreated();
        File.WriteAllText(home.ConfigFile, $"store:\n  postgres: \"{_database.ConnectionString}\"\n  leaseSeconds: {LeaseSeconds}\n");
        var store = ClimuxStore.Open(home);
        var engine = ClimuxEngine.Open(home, wrap is null ? store : wrap(store), hostName: host);
        _engines.Add(engine);
        return engine;
    }

    private RunHandle Run(ClimuxEngine engine, string prompt, int maxActive = 1)
    {
        var handle = engine.Runs.Queue(new RunRequest
        {
            Config = FakeAgents.Config(_temp.Path, maxActive),
            Prompt = prompt,
            Directory = Directory.CreateDirectory(_temp.Combine("work-" + engine.HostName)).FullName,
            Provider = "codex",
            Options = new RunOptions(),
        });
        engine.Runs.Start(handle);
        return handle;
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_slot_freed_on_one_machine_goes_to_the_session_queued_on_another()
    {
        var laptop = Machine("laptop");
        var runner = Machine("runner");
        Assert.NotNull(laptop.Leases);
        var first = Run(laptop, "first [[sleep:1500]]");
        await Until(() => laptop.Store.Get(first.SessionId)!.Status == SessionStatus.Running, "the first session runs");
        var second = Run(runner, "second");
        await Task.Delay(300);
        Assert.Equal(SessionStatus.Queued, runner.Store.Get(second.SessionId)!.Status);

        Assert.Equal(SessionStatus.Completed, (await first.Completion.WaitAsync(Patience)).Status);
        var done = await second.Completion.WaitAsync(Patience);
        Assert.Equal(SessionStatus.Completed, done.Status);
        Assert.Equal("runner", done.Host);
        Assert.Equal("laptop", runner.Store.Get(first.SessionId)!.Host);
    }

    [Fact]
    public async Task A_team_limit_set_from_one_machine_holds_on_another_whose_own_config_allows_more()
    {
        var laptop = Machine("laptop");
        var runner = Machine("runner");
        laptop.SetTeamSetting("concurrency.maxActiveSessions", 1);
        var first = Run(runner, "first [[sleep:1500]]", maxActive: 5);
        var second = Run(runner, "second [[sleep:200]]", maxActive: 5);
        await Until(() => runner.Store.Get(first.SessionId)!.Status == SessionStatus.Running, "the first runs");
        await Task.Delay(500);
        Assert.Equal(SessionStatus.Queued, runner.Store.Get(second.SessionId)!.Status);
        Assert.Equal(SessionStatus.Completed, (await second.Completion.WaitAsync(Patience)).Status);
        Assert.Equal(SessionStatus.Completed, (await first.Completion.WaitAsync(Patience)).Status);
    }

    [Fact]
    public void One_machines_spend_counts_against_the_team_budget_of_another()
    {
        var laptop = Machine("laptop");
        var runner = Machine("runner");
        laptop.SetTeamSetting("monitoring.maxDailyBudget", 1);
        var spent = laptop.Store.Insert(new NewSession { Provider = "codex", Prompt = "p", Directory = "/tmp", Host = "laptop" });
        laptop.Store.Finish(spent.Id, new SessionOutcome(SessionStatus.Completed, 0, "done", null,
            new SessionProgress(null, "gpt-5", default, 2.5m, CostSource.Reported, 1), null));
        Assert.Throws<Climux.Core.Quotas.BudgetExceededException>(() => Run(runner, "over budget", maxActive: 5));
    }

    [Fact]
    public async Task A_host_renews_its_leases_so_other_machines_leave_its_sessions_alone()
    {
        var laptop = Machine("laptop");
        var runner = Machine("runner");
        var hanging = Run(laptop, "[[hang]]");
        await Until(() => laptop.Store.Get(hanging.SessionId)!.Status == SessionStatus.Running, "it runs");
        await Task.Delay(TimeSpan.FromSeconds(LeaseSeconds * 2));
        Assert.Equal(0, runner.ReclaimOrphans());
        var session = runner.Store.Get(hanging.SessionId)!;
        Assert.Equal(SessionStatus.Running, session.Status);
        Assert.True(session.LeaseExpiresAt > DateTimeOffset.UtcNow);
        hanging.Stop("test over");
        await hanging.Completion.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_silent_host_loses_its_session_and_its_slot_to_another_machine_within_the_lease()
    {
        var laptop = Machine("laptop");
        var runner = Machine("runner");
        var hanging = Run(laptop, "[[hang]]");
        await Until(() => laptop.Store.Get(hanging.SessionId)!.Status == SessionStatus.Running, "it runs");
        var waiting = Run(runner, "after the silent host");
        laptop.Leases!.Dispose(); // the laptop goes silent: no more renewals

        var done = await waiting.Completion.WaitAsync(Patience);
        Assert.Equal(SessionStatus.Completed, done.Status);
        var orphan = runner.Store.Get(hanging.SessionId)!;
        Assert.Equal(SessionStatus.Orphaned, orphan.Status);
        Assert.Contains("laptop", orphan.Error);
        Assert.True(done.StartedAt - orphan.EndedAt < TimeSpan.FromSeconds(LeaseSeconds + 6));
        hanging.Stop("test over");
    }

    [Fact]
    public async Task A_host_that_cannot_renew_stops_its_own_agents_before_its_lease_runs_out()
    {
        var outage = new Outage();
        var laptop = Machine("laptop", store => outage.Wrap(store));
        var hanging = Run(laptop, "[[hang]]");
        await Until(() => laptop.Runs.Find(hanging.SessionId)?.Agent is not null, "its agent runs");
        var agent = laptop.Runs.Find(hanging.SessionId)!.Agent!.Value;
        var lease = laptop.Store.Get(hanging.SessionId)!.LeaseExpiresAt!.Value;
        outage.Down = true;

        await Until(() => !agent.IsAlive, "the agent is stopped");
        Assert.True(DateTimeOffset.UtcNow < lease + TimeSpan.FromSeconds(LeaseSeconds), "stopped within one lease of the last renewal");
        outage.Down = false;
        var session = await hanging.Completion.WaitAsync(Patience);
        Assert.Equal(SessionStatus.Stopped, session.Status);
        Assert.Contains("could not renew its lease", session.Error);
    }

    /// <summary>A store whose lease renewals fail while <see cref="Down"/>, as an unreachable server's would.</summary>
    private sealed class Outage
    {
        public volatile bool Down;

        public IClimuxStore Wrap(IClimuxStore store)
        {
            var proxy = DispatchProxy.Create<IClimuxStore, FailingRenewals>();
            ((FailingRenewals)(object)proxy).Init(store, this);
            return proxy;
        }
    }

    public class FailingRenewals : DispatchProxy
    {
        private IClimuxStore _inner = null!;
        private Outage _outage = null!;

        internal void Init(IClimuxStore inner, object outage) => (_inner, _outage) = (inner, (Outage)outage);

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (_outage.Down && method!.Name == nameof(IClimuxStore.RenewLeases))
                throw new StoreUnavailableException(_inner.Location, "connection refused", advice: "Test outage.");
            try
            {
                return method!.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }
}
