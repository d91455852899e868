using Climux.Core.Config;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Tests.Support;
using Climux.Core.Workspaces;

namespace Climux.Core.Tests.Store;

/// <summary>What only a store shared across machines does, on the test cluster.</summary>
[Trait("Store", "Postgres")]
public sealed class PostgresStoreTests : IDisposable
{
    private readonly TestPostgres _database = new();
    private readonly IClimuxStore _store;
    private readonly SessionFactory _sessions;

    public PostgresStoreTests()
    {
        _store = ClimuxStore.OpenPostgres(_database.ConnectionString);
        _sessions = new SessionFactory(_store);
    }

    public void Dispose()
    {
        _store.Dispose();
        _database.Dispose();
    }

    private static AdmissionPolicy Policy(int maxActive, int perWorkspace, string host = "laptop") => new(new ClimuxConfig
    {
        Concurrency = new ConcurrencyConfig { MaxActiveSessions = maxActive, MaxSessionsPerWorkspace = perWorkspace },
    }, new OrphanPolicy(host, ProcessIdentity.Current, DateTimeOffset.UtcNow));

    [Fact]
    public void Is_shared_and_names_server_and_database_but_never_the_password()
    {
        Assert.True(_store.IsShared);
        var store = ClimuxStore.OpenPostgres(_database.ConnectionString + ";Password=hunter2-secret");
        Assert.DoesNotContain("hunter2", store.Location);
        Assert.StartsWith("postgres://127.0.0.1:", store.Location);
        store.Dispose();
    }

    [Fact]
    public void Two_clones_of_one_repository_on_two_machines_share_the_workspace_limit()
    {
        var onLaptop = _sessions.Queue(workspace: "/home/ann/shop", workspaceKey: "remote:github.com/acme/shop", hostName: "laptop");
        var onRunner = _sessions.Queue(workspace: "/builds/shop", workspaceKey: "remote:github.com/acme/shop", hostName: "runner");
        var elsewhere = _sessions.Queue(workspace: "/builds/other", workspaceKey: "remote:github.com/acme/other", hostName: "runner");
        Assert.Equal(AdmissionVerdict.Admitted, _store.Admit(onLaptop.Id, Policy(5, 1)).Decision.Verdict);
        Assert.Equal(AdmissionVerdict.Wait, _store.Admit(onRunner.Id, Policy(5, 1, "runner")).Decision.Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, _store.Admit(elsewhere.Id, Policy(5, 1, "runner")).Decision.Verdict);
    }

    [Fact]
    public void The_queue_is_in_the_order_the_server_took_the_sessions_whatever_the_clocks()
    {
        var first = _sessions.Queue(hostName: "laptop");
        // A machine whose clock is behind writes an earlier queued_at; it still queued second.
        var second = _sessions.Queue(hostName: "runner");
        var restored = _store.Get(second.Id)! with { Id = "zzzzzzzz", QueuedAt = first.QueuedAt.AddMinutes(-5), Name = null };
        Assert.True(_store.Restore(restored));
        Assert.Equal([first.Id, second.Id, "zzzzzzzz"], _store.ActiveLoad().Select(s => s.Id));
        Assert.Equal(AdmissionVerdict.Wait, _store.Admit("zzzzzzzz", Policy(1, 1)).Decision.Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, _store.Admit(first.Id, Policy(1, 1)).Decision.Verdict);
    }

    [Fact]
    public void An_unreachable_server_is_StoreUnavailable_naming_the_host_without_the_password()
    {
        var port = FreePort();
        var failure = Assert.Throws<StoreUnavailableException>(() =>
            ClimuxStore.OpenPostgres($"Host=127.0.0.1;Port={port};Username=climux;Password=hunter2-secret;Timeout=2"));
        Assert.Contains($"127.0.0.1:{port}", failure.Message);
        Assert.DoesNotContain("hunter2", failure.Message);
        Assert.Contains("PGPASSWORD", failure.Message);
    }

    [Fact]
    public async Task The_signal_wakes_another_process_through_listen_and_notify()
    {
        using var listener = new PostgresStoreSignal(_database.ConnectionString);
        using var notifier = new PostgresStoreSignal(_database.ConnectionString);
        // The listener wakes its waiters once it listens (which may be over already): let it get there first.
        await Task.WhenAny(listener.NextChange, Task.Delay(TimeSpan.FromSeconds(2)));
        var change = listener.NextChange;
        notifier.Notify();
        await change.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Workspace_identity_is_the_remote_without_user_scheme_or_suffix()
    {
        Assert.Equal("github.com/acme/shop", WorkspaceIdentity.NormalizeUrl("https://ann@GitHub.com/acme/shop.git"));
        Assert.Equal("github.com/acme/shop", WorkspaceIdentity.NormalizeUrl("git@github.com:acme/shop.git"));
        Assert.Equal("github.com/acme/shop", WorkspaceIdentity.NormalizeUrl("ssh://git@github.com/acme/shop/"));
    }

    [Fact]
    public void Processes_on_two_hosts_admitting_from_one_queue_never_over_admit()
    {
        const int processes = 6, perProcess = 8, limit = 3;
        using var temp = new TempFolder();
        var outputs = TestHosts.Run(processes, i => ["admit-hammer", temp.Home($"h{i}").Root, perProcess.ToString(), limit.ToString(), $"p{i}", i % 2 == 0 ? "host-a" : "host-b"],
            new Dictionary<string, string> { [ClimuxStore.EnvironmentVariable] = _database.ConnectionString });
        var most = outputs.Select(o => int.Parse(o.Trim().Split('\n')[^1].Split(' ')[1])).Max();
        Assert.InRange(most, 1, limit);

        var sessions = _store.Find(new SessionFilter());
        Assert.Equal(processes * perProcess, sessions.Count);
        Assert.All(sessions, s => Assert.Equal(SessionStatus.Completed, s.Status));
        Assert.Equal(["host-a", "host-b"], sessions.Select(s => s.Host).Distinct().Order());
        foreach (var s in sessions)
            Assert.True(sessions.Count(o => o.Id != s.Id && o.StartedAt <= s.StartedAt && o.EndedAt > s.StartedAt) < limit,
                $"{s.Id} started while {limit} others ran");
    }

    [Fact]
    public void Copying_a_machines_history_into_the_team_store_is_idempotent()
    {
        using var temp = new TempFolder();
        using var local = ClimuxStore.Open(temp.Home());
        var history = new SessionFactory(local);
        var parent = history.Queue(name: "first");
        local.AppendEvents(parent.Id, 1, [new Climux.Core.Agents.TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "hello"),
            new Climux.Core.Agents.TranscriptEntry(SessionEventKind.Result, Text: "done")]);
        local.Finish(parent.Id, new SessionOutcome(SessionStatus.Completed, 0, "done", null, null, null));
        var child = local.Insert(new NewSession { Provider = "codex", Prompt = "more", Directory = "/tmp", ParentId = parent.Id, Host = "laptop" });

        var first = StoreCopier.Copy(local, _store);
        Assert.Equal((2, 0, 2L), (first.Copied, first.AlreadyThere, first.Events));
        Assert.Equal(parent.Id, _store.Get(child.Id)!.ParentId);
        Assert.Equal(["hello", "done"], _store.Events(parent.Id).Select(e => e.Text));
        Assert.Equal(parent.Id, _store.Resolve("first").Id);

        var again = StoreCopier.Copy(local, _store);
        Assert.Equal((0, 2), (again.Copied, again.AlreadyThere));
        Assert.Equal(2, _store.Find(new SessionFilter()).Count);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
