using System.Diagnostics;
using Climux.Core.Config;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Quotas;

public sealed class AdmissionTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ClimuxStore _store;
    private readonly SessionFactory _sessions;

    public AdmissionTests()
    {
        _store = ClimuxStore.Open(_temp.Home());
        _sessions = new SessionFactory(_store);
    }

    public void Dispose() => _temp.Dispose();

    private Admission Admission(int maxActive = 2, int perWorkspace = 2, decimal budget = 0) => new(_store, new ClimuxConfig
    {
        Concurrency = new ConcurrencyConfig { MaxActiveSessions = maxActive, MaxSessionsPerWorkspace = perWorkspace },
        Monitoring = new MonitoringConfig { MaxDailyBudget = budget },
    });

    private SessionStatus StatusOf(ClimuxSession s) => _sessions.Repository.Get(s.Id)!.Status;

    [Fact]
    public void Admits_up_to_the_machine_limit_then_makes_the_rest_wait()
    {
        var admission = Admission(maxActive: 2, perWorkspace: 5);
        var queued = Enumerable.Range(0, 4).Select(_ => _sessions.Queue()).ToList();
        Assert.Equal(AdmissionVerdict.Admitted, admission.TryAdmit(queued[0].Id).Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, admission.TryAdmit(queued[1].Id).Verdict);
        Assert.Equal(AdmissionVerdict.Wait, admission.TryAdmit(queued[2].Id).Verdict);
        Assert.Equal(SessionStatus.Running, StatusOf(queued[0]));
        Assert.Equal(SessionStatus.Queued, StatusOf(queued[2]));

        _sessions.Repository.Finish(queued[0].Id, new SessionOutcome(SessionStatus.Completed, 0, null, null, null, null));
        Assert.Equal(AdmissionVerdict.Admitted, admission.TryAdmit(queued[2].Id).Verdict);
    }

    [Fact]
    public void The_oldest_queued_session_goes_first()
    {
        var admission = Admission(maxActive: 1);
        var first = _sessions.Queue();
        var second = _sessions.Queue();
        Assert.Equal(AdmissionVerdict.Wait, admission.TryAdmit(second.Id).Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, admission.TryAdmit(first.Id).Verdict);
        Assert.Equal(AdmissionVerdict.Wait, admission.TryAdmit(second.Id).Verdict);
    }

    [Fact]
    public void The_workspace_limit_holds_and_does_not_block_other_workspaces()
    {
        var admission = Admission(maxActive: 5, perWorkspace: 1);
        var a1 = _sessions.Queue(workspace: "/a");
        var a2 = _sessions.Queue(workspace: "/a");
        var b1 = _sessions.Queue(workspace: "/b");
        Assert.Equal(AdmissionVerdict.Admitted, admission.TryAdmit(a1.Id).Verdict);
        Assert.Equal(AdmissionVerdict.Wait, admission.TryAdmit(a2.Id).Verdict);
        // a2 is older but cannot start: b1 may.
        Assert.Equal(AdmissionVerdict.Admitted, admission.TryAdmit(b1.Id).Verdict);
    }

    [Fact]
    public void A_session_waits_for_its_dependencies_without_holding_up_others()
    {
        var admission = Admission(maxActive: 1);
        var dependency = _sessions.Finished(DateTimeOffset.UtcNow, SessionStatus.Completed);
        var running = _sessions.Queue();
        var dependent = _sessions.Queue(dependsOn: [running.Id, dependency.Id]);
        var other = _sessions.Queue();
        Assert.Equal(AdmissionVerdict.Admitted, admission.TryAdmit(running.Id).Verdict);
        _sessions.Repository.Finish(running.Id, new SessionOutcome(SessionStatus.Completed, 0, null, null, null, null));
        Assert.Equal(AdmissionVerdict.Admitted, admission.TryAdmit(dependent.Id).Verdict);
        Assert.Equal(AdmissionVerdict.Wait, admission.TryAdmit(other.Id).Verdict);
    }

    [Fact]
    public void A_failed_or_missing_dependency_fails_the_session()
    {
        var admission = Admission();
        var failed = _sessions.Finished(DateTimeOffset.UtcNow, SessionStatus.TimedOut);
        var dependent = _sessions.Queue(dependsOn: [failed.Id]);
        var decision = admission.TryAdmit(dependent.Id);
        Assert.Equal(AdmissionVerdict.DependencyFailed, decision.Verdict);
        Assert.Equal($"dependency {failed.Id} ended TimedOut", decision.Reason);

        var orphan = _sessions.Queue(dependsOn: ["nosuchid"]);
        Assert.Equal("dependency nosuchid no longer exists", admission.TryAdmit(orphan.Id).Reason);
    }

    [Fact]
    public void A_stop_request_is_honoured_before_admission()
    {
        var session = _sessions.Queue();
        _sessions.Repository.RequestStop(session.Id, "because");
        Assert.Equal(new AdmissionDecision(AdmissionVerdict.Stop, "because"), Admission().TryAdmit(session.Id));
    }

    [Fact]
    public void A_spent_budget_stops_admission_unless_forced()
    {
        _sessions.Finished(DateTimeOffset.UtcNow, SessionStatus.Completed, cost: 2.5m);
        var plain = _sessions.Queue();
        var forced = _sessions.Queue(options: """{"Force":true}""");
        var admission = Admission(maxActive: 5, budget: 2.0m);
        Assert.Equal(AdmissionVerdict.BudgetSpent, admission.TryAdmit(plain.Id).Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, admission.TryAdmit(forced.Id).Verdict);
    }

    [Fact]
    public void Sessions_whose_host_died_are_orphaned_and_their_agent_killed()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var deadHost = DeadProcess();
        using var agent = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        var agentIdentity = ProcessIdentity.Of(agent.Id)!.Value;
        var running = _sessions.Queue();
        var queued = _sessions.Queue();
        _sessions.Sql($"UPDATE sessions SET status = 'Running' WHERE id = '{running.Id}'");
        _sessions.SetHost(running.Id, deadHost, agentIdentity);
        _sessions.SetHost(queued.Id, deadHost);
        var mine = _sessions.Queue();

        var admission = Admission(maxActive: 1);
        Assert.Equal(AdmissionVerdict.Admitted, admission.TryAdmit(mine.Id).Verdict);
        Assert.Equal(SessionStatus.Orphaned, StatusOf(running));
        Assert.Equal(SessionStatus.Orphaned, StatusOf(queued));
        Assert.Contains($"pid {deadHost.Pid}", _sessions.Repository.Get(running.Id)!.Error);
        Assert.True(agent.WaitForExit(10_000));
    }

    [Fact]
    public void A_reused_pid_is_not_mistaken_for_the_host()
    {
        var session = _sessions.Queue();
        var me = ProcessIdentity.Current;
        _sessions.SetHost(session.Id, new ProcessIdentity(Environment.ProcessId == 1 ? 2 : 1, 12345));
        Assert.Equal(1, Climux.Core.Runs.Admission.ReclaimOrphans(_store));
        Assert.Equal(SessionStatus.Orphaned, StatusOf(session));
        Assert.True(me.IsAlive);
    }

    private static ProcessIdentity DeadProcess()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        var identity = new ProcessIdentity(process.Id, 1);
        process.WaitForExit();
        return identity;
    }
}
