using System.Collections.Concurrent;
using System.Diagnostics;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Store;

public abstract partial class StoreContract
{
    private Func<ClimuxSession, AdmissionDecision> Admission(int maxActive = 2, int perWorkspace = 2, decimal budget = 0)
    {
        var config = Limits(maxActive, perWorkspace, budget);
        return session => Admit(session.Id, config).Decision;
    }

    [Fact]
    public void Admits_up_to_the_machine_limit_then_makes_the_rest_wait()
    {
        var admit = Admission(maxActive: 2, perWorkspace: 5);
        var queued = Enumerable.Range(0, 4).Select(_ => Sessions.Queue()).ToList();
        Assert.Equal(AdmissionVerdict.Admitted, admit(queued[0]).Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, admit(queued[1]).Verdict);
        Assert.Equal(AdmissionVerdict.Wait, admit(queued[2]).Verdict);
        Assert.Equal(SessionStatus.Running, Sessions.StatusOf(queued[0]));
        Assert.NotNull(Store.Get(queued[0].Id)!.StartedAt);
        Assert.Equal(SessionStatus.Queued, Sessions.StatusOf(queued[2]));

        Sessions.Complete(queued[0]);
        Assert.Equal(AdmissionVerdict.Admitted, admit(queued[2]).Verdict);
    }

    [Fact]
    public void The_oldest_queued_session_goes_first()
    {
        var admit = Admission(maxActive: 1);
        var first = Sessions.Queue();
        var second = Sessions.Queue();
        Assert.Equal(AdmissionVerdict.Wait, admit(second).Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, admit(first).Verdict);
        Assert.Equal(AdmissionVerdict.Wait, admit(second).Verdict);
    }

    [Fact]
    public void The_workspace_limit_holds_and_does_not_block_other_workspaces()
    {
        var admit = Admission(maxActive: 5, perWorkspace: 1);
        var a1 = Sessions.Queue(workspace: "/a");
        var a2 = Sessions.Queue(workspace: "/a");
        var b1 = Sessions.Queue(workspace: "/b");
        Assert.Equal(AdmissionVerdict.Admitted, admit(a1).Verdict);
        Assert.Equal(AdmissionVerdict.Wait, admit(a2).Verdict);
        // a2 is older but cannot start: b1 may.
        Assert.Equal(AdmissionVerdict.Admitted, admit(b1).Verdict);
    }

    [Fact]
    public void A_session_waits_for_its_dependencies_without_holding_up_others()
    {
        var admit = Admission(maxActive: 1);
        var dependency = Sessions.Finished(DateTimeOffset.UtcNow, SessionStatus.Completed);
        var running = Sessions.Queue();
        var dependent = Sessions.Queue(dependsOn: [running.Id, dependency.Id]);
        var other = Sessions.Queue();
        Assert.Equal(AdmissionVerdict.Admitted, admit(running).Verdict);
        // While its dependency runs, the dependent waits and lets the next one through once a slot is free.
        Assert.Equal(AdmissionVerdict.Wait, admit(dependent).Verdict);
        Sessions.Complete(running);
        Assert.Equal(AdmissionVerdict.Admitted, admit(dependent).Verdict);
        Assert.Equal(AdmissionVerdict.Wait, admit(other).Verdict);
    }

    [Fact]
    public void A_queued_dependency_does_not_hold_up_a_later_independent_session()
    {
        var admit = Admission(maxActive: 2);
        var dependency = Sessions.Queue();
        var dependent = Sessions.Queue(dependsOn: [dependency.Id]);
        var later = Sessions.Queue();
        Assert.Equal(AdmissionVerdict.Wait, admit(dependent).Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, admit(dependency).Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, admit(later).Verdict);
        Assert.Equal(AdmissionVerdict.Wait, admit(dependent).Verdict);
    }

    [Fact]
    public void A_failed_or_missing_dependency_fails_the_session()
    {
        var admit = Admission();
        var failed = Sessions.Finished(DateTimeOffset.UtcNow, SessionStatus.TimedOut);
        var dependent = Sessions.Queue(dependsOn: [failed.Id]);
        var decision = admit(dependent);
        Assert.Equal(AdmissionVerdict.DependencyFailed, decision.Verdict);
        Assert.Equal($"dependency {failed.Id} ended TimedOut", decision.Reason);

        var orphan = Sessions.Queue(dependsOn: ["nosuchid"]);
        Assert.Equal("dependency nosuchid no longer exists", admit(orphan).Reason);
    }

    [Fact]
    public void A_stop_request_is_honoured_before_admission()
    {
        var session = Sessions.Queue();
        Assert.True(Store.RequestStop(session.Id, "because"));
        Assert.Equal(new AdmissionDecision(AdmissionVerdict.Stop, "because"), Admission()(session));
    }

    [Fact]
    public void A_session_that_is_no_longer_queued_is_gone()
    {
        var session = Sessions.Queue();
        Sessions.Complete(session);
        Assert.Equal(AdmissionVerdict.Gone, Admission()(session).Verdict);
        Assert.Equal(AdmissionVerdict.Gone, Admit("nosuchid", Limits()).Decision.Verdict);
    }

    [Fact]
    public void A_spent_budget_stops_admission_unless_forced()
    {
        Sessions.Finished(DateTimeOffset.UtcNow, SessionStatus.Completed, cost: 2.5m);
        var plain = Sessions.Queue();
        var forced = Sessions.Queue(options: """{"Force":true}""");
        var admit = Admission(maxActive: 5, budget: 2.0m);
        Assert.Equal(AdmissionVerdict.BudgetSpent, admit(plain).Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, admit(forced).Verdict);
    }

    [Fact]
    public void Sessions_whose_host_died_are_orphaned_and_their_agent_handed_back_to_kill()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var deadHost = DeadProcess();
        using var agent = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        var agentIdentity = ProcessIdentity.Of(agent.Id)!.Value;
        var running = Sessions.Hosted(SessionStatus.Running, deadHost, agentIdentity);
        var queued = Sessions.Hosted(SessionStatus.Queued, deadHost);
        var mine = Sessions.Queue();

        var result = Admit(mine.Id, Limits(maxActive: 1));
        Assert.Equal(AdmissionVerdict.Admitted, result.Decision.Verdict);
        Assert.Equal(SessionStatus.Orphaned, Sessions.StatusOf(running));
        Assert.Equal(SessionStatus.Orphaned, Sessions.StatusOf(queued));
        Assert.Contains($"pid {deadHost.Pid}", Store.Get(running.Id)!.Error);
        Assert.Null(Store.Get(running.Id)!.Pid);
        Assert.NotNull(Store.Get(running.Id)!.EndedAt);
        Assert.Equal(new[] { running.Id, queued.Id }.Order(), result.Reclaimed.Select(o => o.Id).Order());
        Assert.Equal(agentIdentity, result.Reclaimed.Single(o => o.Id == running.Id).Agent);

        OrphanPolicy.KillAgents(result.Reclaimed);
        Assert.True(agent.WaitForExit(10_000));
    }

    [Fact]
    public void A_reused_pid_is_not_mistaken_for_the_host()
    {
        var me = ProcessIdentity.Current;
        var session = Sessions.Hosted(SessionStatus.Queued, new ProcessIdentity(Environment.ProcessId == 1 ? 2 : 1, 12345));
        Assert.Single(Store.ReclaimOrphans(Orphans()));
        Assert.Equal(SessionStatus.Orphaned, Sessions.StatusOf(session));
        Assert.True(me.IsAlive);
        Assert.Empty(Store.ReclaimOrphans(Orphans()));
    }

    [Fact]
    public void Sessions_of_this_process_and_of_other_hosts_with_a_live_lease_are_not_orphans()
    {
        var mine = Sessions.Queue();
        var remote = Sessions.Put(SessionFactory.Row() with
        {
            Status = SessionStatus.Running,
            Host = "another-machine",
            HostPid = 1,
            HostStart = 1,
            LeaseExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5),
        });
        Assert.Empty(Store.ReclaimOrphans(Orphans()));

        // Its lease runs out: any machine may reclaim it, without touching pids it cannot see.
        var orphans = Store.ReclaimOrphans(Orphans(DateTimeOffset.UtcNow.AddMinutes(10)));
        var orphan = Assert.Single(orphans);
        Assert.Equal(remote.Id, orphan.Id);
        Assert.Null(orphan.Agent);
        Assert.Equal(SessionStatus.Queued, Sessions.StatusOf(mine));
        Assert.Contains("another-machine", Store.Get(remote.Id)!.Error);
    }

    [Fact]
    public async Task Many_threads_admitting_at_once_never_over_admit()
    {
        const int limit = 3, sessions = 48, threads = 8;
        var queued = Enumerable.Range(0, sessions).Select(i => Sessions.Queue(workspace: i % 2 == 0 ? "/a" : "/b")).ToList();
        var config = Limits(maxActive: limit, perWorkspace: limit);
        var pending = new ConcurrentQueue<ClimuxSession>(queued);
        var running = 0;
        var most = 0;
        var seen = new ConcurrentBag<int>();
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Run(() =>
        {
            using var store = Open(); // each worker on a handle of its own, as separate processes would be
            var random = new Random();
            while (pending.TryDequeue(out var session))
            {
                var decision = store.Admit(session.Id, new AdmissionPolicy(config, Orphans())).Decision;
                if (decision.Verdict != AdmissionVerdict.Admitted)
                {
                    pending.Enqueue(session);
                    Thread.Sleep(random.Next(1, 4));
                    continue;
                }
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                seen.Add(store.ActiveLoad().Count(s => s.Status == SessionStatus.Running));
                Thread.Sleep(random.Next(1, 6));
                Interlocked.Decrement(ref running);
                Assert.True(store.Finish(session.Id, new SessionOutcome(SessionStatus.Completed, 0, null, null, null, null)));
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.True(most <= limit, $"{most} sessions were admitted at once with a limit of {limit}");
        Assert.All(seen, count => Assert.InRange(count, 1, limit));
        Assert.All(queued, s => Assert.Equal(SessionStatus.Completed, Sessions.StatusOf(s)));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static ProcessIdentity DeadProcess()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        var identity = new ProcessIdentity(process.Id, 1);
        process.WaitForExit();
        return identity;
    }
}
