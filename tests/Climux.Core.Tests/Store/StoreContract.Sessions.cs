using Climux.Core.Agents;
using Climux.Core.Platform;
using Climux.Core.Providers;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Worktrees;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Store;

public abstract partial class StoreContract
{
    [Fact]
    public void An_inserted_session_reads_back_with_everything_it_was_given()
    {
        var parent = Sessions.Finished(DateTimeOffset.UtcNow.AddMinutes(-5), SessionStatus.Completed);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var session = Store.Insert(new NewSession
        {
            Provider = "claude-code",
            Prompt = "Fix the login bug",
            Directory = "/work/repo-wt/feature-login",
            Mode = RunMode.Plan,
            Name = "login",
            Model = "claude-sonnet-4-5",
            Workspace = "/work/repo",
            Worktree = "feature-login",
            ParentId = parent.Id,
            FallbackOf = parent.Id,
            NativeSessionId = "native-1",
            DependsOn = [parent.Id],
            Options = """{"TimeoutSeconds":60,"MaxCost":1.5}""",
            Host = "build-box",
            HostProcess = new ProcessIdentity(4242, 99),
        });

        Assert.Matches("^[a-z][a-z2-9]{7}$", session.Id);
        var read = Store.Get(session.Id)!;
        Assert.Equal(session.QueuedAt, read.QueuedAt);
        Assert.Equal(SessionStatus.Queued, read.Status);
        Assert.Equal(("claude-code", "Fix the login bug", "/work/repo-wt/feature-login", RunMode.Plan), (read.Provider, read.Prompt, read.Directory, read.Mode));
        Assert.Equal(("login", "claude-sonnet-4-5", "/work/repo", "feature-login"), (read.Name, read.Model, read.Workspace, read.Worktree));
        Assert.Equal((parent.Id, parent.Id, "native-1"), (read.ParentId, read.FallbackOf, read.NativeSessionId));
        Assert.Equal([parent.Id], read.DependsOn);
        Assert.Equal(new RunOptions { TimeoutSeconds = 60, MaxCost = 1.5m }, read.Options);
        Assert.Equal(("build-box", 4242, 99L), (read.Host, read.HostPid!.Value, read.HostStart!.Value));
        Assert.InRange(read.QueuedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(read.StartedAt);
        Assert.Equal(0, read.TotalTokens);
        Assert.Null(Store.Get("nosuchid"));
    }

    [Fact]
    public void A_session_runs_reports_progress_and_finishes()
    {
        var session = Sessions.Queue();
        var agent = new ProcessIdentity(777, 1234);
        Assert.True(Store.MarkRunning(session.Id, new AgentStart(agent, "abc123", "feature-x", "/logs/x.out.log", "native-9")));
        var running = Store.Get(session.Id)!;
        Assert.Equal((SessionStatus.Running, 777, 1234L, "abc123", "feature-x", "/logs/x.out.log", "native-9"),
            (running.Status, running.Pid!.Value, running.PidStart!.Value, running.BaseCommit, running.Branch, running.LogPath, running.NativeSessionId));
        Assert.NotNull(running.StartedAt);

        Assert.True(Store.UpdateProgress(session.Id, new SessionProgress(null, "gpt-5", new TokenUsage(10, 20, 30, 40), 0.25m, CostSource.Computed, 2)));
        var progressed = Store.Get(session.Id)!;
        Assert.Equal(("gpt-5", 10L, 20L, 30L, 40L, 0.25m, CostSource.Computed, 2), (progressed.Model, progressed.InputTokens, progressed.OutputTokens,
            progressed.CacheReadTokens, progressed.CacheWriteTokens, progressed.CostUsd, progressed.CostSource, progressed.Turns));
        Assert.Equal("native-9", progressed.NativeSessionId);

        Assert.True(Store.Finish(session.Id, new SessionOutcome(SessionStatus.Failed, 3, "partial", "it broke",
            new SessionProgress("native-10", null, new TokenUsage(11, 21, 31, 41), 0.5m, CostSource.Reported, 3), new DiffStats(2, 10, 4))));
        var finished = Store.Get(session.Id)!;
        Assert.Equal((SessionStatus.Failed, 3, "partial", "it broke"), (finished.Status, finished.ExitCode!.Value, finished.Result, finished.Error));
        Assert.Equal(("native-10", "gpt-5", 104L, 0.5m, CostSource.Reported, 3), (finished.NativeSessionId, finished.Model, finished.TotalTokens,
            finished.CostUsd, finished.CostSource, finished.Turns));
        Assert.Equal((2, 10, 4), (finished.FilesChanged!.Value, finished.LinesAdded!.Value, finished.LinesRemoved!.Value));
        Assert.Null(finished.Pid);
        Assert.NotNull(finished.EndedAt);
        Assert.True(finished.IsFinished);

        Assert.False(Store.MarkRunning("nosuchid", new AgentStart(agent, null, null, "/x", null)));
        Assert.False(Store.UpdateProgress("nosuchid", new SessionProgress(null, null, default, 0, null, 0)));
        Assert.False(Store.Finish("nosuchid", new SessionOutcome(SessionStatus.Completed, 0, null, null, null, null)));
    }

    [Fact]
    public void A_folder_can_be_kept_to_one_active_session()
    {
        var first = Store.Insert(new NewSession { Provider = "codex", Prompt = "a", Directory = "/wt/one", ExclusiveDirectory = true });
        var busy = Assert.Throws<DirectoryBusyException>(() =>
            Store.Insert(new NewSession { Provider = "codex", Prompt = "b", Directory = "/wt/one", ExclusiveDirectory = true }));
        Assert.Equal((first.Id, "/wt/one"), (busy.SessionId, busy.Directory));
        // Beside it on request, and freely once it has finished.
        Store.Insert(new NewSession { Provider = "codex", Prompt = "c", Directory = "/wt/one" });
        Store.Insert(new NewSession { Provider = "codex", Prompt = "d", Directory = "/wt/two", ExclusiveDirectory = true });
        Sessions.Complete(first);
        Assert.Throws<DirectoryBusyException>(() =>
            Store.Insert(new NewSession { Provider = "codex", Prompt = "e", Directory = "/wt/one", ExclusiveDirectory = true }));
    }

    [Fact]
    public void Sessions_resolve_by_id_name_and_unambiguous_prefix()
    {
        var named = Sessions.Queue(name: "fix-login");
        Assert.Equal(named.Id, Store.Resolve(named.Id).Id);
        Assert.Equal(named.Id, Store.Resolve("fix-login").Id);
        Assert.Equal(named.Id, Store.Resolve(named.Id[..6]).Id);

        // A name given again moves to the newer session.
        var newer = Sessions.Queue(name: "fix-login");
        Assert.Equal(newer.Id, Store.Resolve("fix-login").Id);

        var a = Sessions.Put(SessionFactory.Row() with { Id = "qqqq2345" });
        Sessions.Put(SessionFactory.Row() with { Id = "qqqq2346" });
        Assert.Contains("several", Assert.Throws<SessionNotFoundException>(() => Store.Resolve("qqqq")).Message);
        Assert.Equal(a.Id, Store.Resolve("qqqq2345").Id);
        Assert.Throws<SessionNotFoundException>(() => Store.Resolve("qqq")); // a prefix needs 4 characters
        var missing = Assert.Throws<SessionNotFoundException>(() => Store.Resolve("nosuch"));
        Assert.Equal("nosuch", missing.Reference);
    }

    [Fact]
    public void Find_filters_combine_and_list_oldest_first()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var a = Sessions.Finished(start, SessionStatus.Completed, "codex", workspace: "/a", worktree: "one");
        var b = Sessions.Finished(start.AddMinutes(1), SessionStatus.Failed, "claude-code", workspace: "/a", worktree: "two");
        var c = Sessions.Finished(start.AddMinutes(2), SessionStatus.Completed, "claude-code", workspace: "/b");
        var d = Sessions.Queue("codex", workspace: "/a");

        Assert.Equal([a.Id, b.Id, c.Id, d.Id], Store.Find(new SessionFilter()).Select(s => s.Id));
        Assert.Equal([a.Id, c.Id], Store.Find(new SessionFilter { Statuses = [SessionStatus.Completed] }).Select(s => s.Id));
        Assert.Equal([b.Id, c.Id], Store.Find(new SessionFilter { Providers = ["Claude-Code"] }).Select(s => s.Id));
        Assert.Equal([a.Id, b.Id, d.Id], Store.Find(new SessionFilter { Workspace = "/a" }).Select(s => s.Id));
        Assert.Equal([b.Id], Store.Find(new SessionFilter { Worktree = "two" }).Select(s => s.Id));
        Assert.Equal(new[] { d.Id, a.Id }.Order(), Store.Find(new SessionFilter { Ids = [d.Id, a.Id, "nosuchid"] }).Select(s => s.Id).Order());
        Assert.Equal([c.Id, d.Id], Store.Find(new SessionFilter { Last = 2 }).Select(s => s.Id));
        Assert.Equal([b.Id, d.Id], Store.Find(new SessionFilter { Workspace = "/a", Last = 2 }).Select(s => s.Id));
        Assert.Equal([d.Id], Store.Find(new SessionFilter { Statuses = [SessionStatus.Queued], Providers = ["codex"], Workspace = "/a" }).Select(s => s.Id));
    }

    [Fact]
    public void Sessions_queued_in_the_same_millisecond_keep_their_order()
    {
        var at = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 20).Select(_ => Sessions.Put(SessionFactory.Row() with { QueuedAt = at }).Id).ToList();
        Assert.Equal(ids, Store.Find(new SessionFilter()).Select(s => s.Id));
        Assert.Equal(ids, Store.ActiveLoad().Select(s => s.Id));
        Assert.Equal(ids.TakeLast(3), Store.Find(new SessionFilter { Last = 3 }).Select(s => s.Id));
    }

    [Fact]
    public void A_stop_request_is_kept_for_live_sessions_only()
    {
        var live = Sessions.Queue();
        Assert.Null(Store.StopRequested(live.Id));
        Assert.True(Store.RequestStop(live.Id, "enough"));
        Assert.Equal("enough", Store.StopRequested(live.Id));

        var done = Sessions.Finished(DateTimeOffset.UtcNow, SessionStatus.Completed);
        Assert.False(Store.RequestStop(done.Id, "late"));
        Assert.Null(Store.StopRequested(done.Id));
        Assert.False(Store.RequestStop("nosuchid", "x"));
    }

    [Fact]
    public void Transcript_entries_come_back_in_order_and_after_a_sequence()
    {
        var session = Sessions.Queue();
        Assert.True(Store.AppendEvents(session.Id, 1, [
            new TranscriptEntry(SessionEventKind.Init, Data: """{"model":"m"}"""),
            new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "hello"),
        ]));
        Assert.True(Store.AppendEvents(session.Id, 3, [
            new TranscriptEntry(SessionEventKind.ToolCall, Tool: "Edit", Text: "a.txt", Data: "{}"),
            new TranscriptEntry(SessionEventKind.Warning, Text: "careful"),
        ]));
        Assert.True(Store.AppendEvents(session.Id, 5, []));

        var events = Store.Events(session.Id);
        Assert.Equal([1L, 2, 3, 4], events.Select(e => e.Sequence));
        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.ToolCall, SessionEventKind.Warning], events.Select(e => e.Kind));
        Assert.Equal(("assistant", "hello"), (events[1].Role, events[1].Text));
        Assert.Equal(("Edit", "a.txt", "{}"), (events[2].Tool, events[2].Text, events[2].Data));
        Assert.All(events, e => Assert.Equal(session.Id, e.SessionId));
        Assert.Equal([3L, 4], Store.Events(session.Id, afterSequence: 2).Select(e => e.Sequence));
        Assert.Empty(Store.Events("nosuchid"));

        Assert.False(Store.AppendEvents("nosuchid", 1, [new TranscriptEntry(SessionEventKind.Message, Text: "lost")]));
    }

    [Fact]
    public void Deleting_a_session_takes_its_transcript_and_name_and_leaves_its_children()
    {
        var parent = Sessions.Queue(name: "first");
        Store.AppendEvents(parent.Id, 1, [new TranscriptEntry(SessionEventKind.Message, Text: "hi")]);
        Sessions.Complete(parent);
        var child = Store.Insert(new NewSession { Provider = "codex", Prompt = "again", Directory = "/tmp", ParentId = parent.Id });

        Assert.True(Store.Delete(parent.Id));
        Assert.Null(Store.Get(parent.Id));
        Assert.Empty(Store.Events(parent.Id));
        Assert.Throws<SessionNotFoundException>(() => Store.Resolve("first"));
        Assert.Null(Store.Get(child.Id)!.ParentId);
        Assert.False(Store.Delete(parent.Id));
    }

    [Fact]
    public void A_lost_row_is_written_again_whole_but_never_over_an_existing_one()
    {
        var original = Sessions.Queue(name: "keep");
        var held = original with
        {
            Status = SessionStatus.Completed,
            StartedAt = original.QueuedAt.AddSeconds(1),
            EndedAt = original.QueuedAt.AddSeconds(9),
            ExitCode = 0,
            Result = "done",
            InputTokens = 5,
            CostUsd = 0.125m,
            CostSource = CostSource.Reported,
            ParentId = "gone1234",
        };
        Assert.False(Store.Restore(held)); // the row is there: nothing is overwritten
        Assert.Equal(SessionStatus.Queued, Sessions.StatusOf(original));

        Assert.True(Store.Delete(original.Id));
        Assert.True(Store.Restore(held));
        var restored = Store.Get(original.Id)!;
        Assert.Equal(held with { ParentId = null }, restored); // its parent is not in this store
        Assert.Equal(original.Id, Store.Resolve("keep").Id);
        Assert.True(Store.AppendEvents(original.Id, 7, [new TranscriptEntry(SessionEventKind.Warning, Text: "written again")]));
    }

    [Fact]
    public void Worktree_records_are_saved_replaced_listed_and_removed()
    {
        var created = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Store.SaveWorktree(new WorktreeRecord("/repo", "feature-a", "/wt/feature-a", "feature-a", "main", "abc", created));
        Store.SaveWorktree(new WorktreeRecord("/repo", "feature-b", "/wt/feature-b", null, null, null, created));
        Store.SaveWorktree(new WorktreeRecord("/other", "feature-a", "/wt2/feature-a", "x", "main", "def", created));
        Store.SaveWorktree(new WorktreeRecord("/repo", "feature-a", "/wt/feature-a2", "feature-a", "develop", "123", created));

        var records = Store.Worktrees("/repo").OrderBy(r => r.Name).ToList();
        Assert.Equal([
            new WorktreeRecord("/repo", "feature-a", "/wt/feature-a2", "feature-a", "develop", "123", created),
            new WorktreeRecord("/repo", "feature-b", "/wt/feature-b", null, null, null, created),
        ], records);
        Store.RemoveWorktree("/repo", "/wt/feature-b");
        Assert.Equal(["feature-a"], Store.Worktrees("/repo").Select(r => r.Name));
        Assert.Single(Store.Worktrees("/other"));
        Assert.Empty(Store.Worktrees("/none"));
    }

    [Fact]
    public void Session_counts_per_folder_of_a_workspace()
    {
        var at = DateTimeOffset.UtcNow.AddHours(-2);
        Sessions.Put(SessionFactory.Row(workspace: "/repo") with { Directory = "/wt/a", Status = SessionStatus.Completed, QueuedAt = at, EndedAt = at.AddMinutes(30) });
        Sessions.Put(SessionFactory.Row(workspace: "/repo") with { Directory = "/wt/a/", QueuedAt = at.AddMinutes(5) });
        Sessions.Put(SessionFactory.Row(workspace: "/repo") with { Directory = "/wt/b", Status = SessionStatus.Failed, QueuedAt = at });
        Sessions.Put(SessionFactory.Row(workspace: "/other") with { Directory = "/wt/a" });

        var counts = Store.SessionCountsByDirectory("/repo");
        Assert.Equal(["/wt/a", "/wt/b"], counts.Keys.Order());
        Assert.Equal((1, 2), (counts["/wt/a"].Active, counts["/wt/a"].Total));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(at.AddMinutes(30).ToUnixTimeMilliseconds()), counts["/wt/a"].LastActivity);
        Assert.Equal((0, 1), (counts["/wt/b"].Active, counts["/wt/b"].Total));
    }

    [Fact]
    public void Provider_versions_are_cached_until_the_file_changes()
    {
        Assert.Null(Store.CachedVersion("codex|/bin/codex", 100, 2000));
        Store.CacheVersion("codex|/bin/codex", 100, 2000, new ProviderVersion("0.169.0", null));
        Assert.Equal(new ProviderVersion("0.169.0", null), Store.CachedVersion("codex|/bin/codex", 100, 2000));
        Assert.Null(Store.CachedVersion("codex|/bin/codex", 101, 2000));
        Assert.Null(Store.CachedVersion("codex|/bin/codex", 100, 2001));
        Store.CacheVersion("codex|/bin/codex", 101, 2000, new ProviderVersion(null, "did not answer"));
        Assert.Equal(new ProviderVersion(null, "did not answer"), Store.CachedVersion("codex|/bin/codex", 101, 2000));
        Assert.Null(Store.CachedVersion("codex|/bin/codex", 100, 2000));
    }

    [Fact]
    public void A_healthy_store_checks_ok_with_its_session_count()
    {
        Sessions.Queue();
        Sessions.Finished(DateTimeOffset.UtcNow, SessionStatus.Completed);
        var check = Store.Check();
        Assert.Equal(StoreHealth.Ok, check.Health);
        Assert.True(check.Healthy);
        Assert.Equal("ok", check.Integrity);
        Assert.Equal(2, check.Sessions);
        Assert.Equal(check.SupportedVersion, check.SchemaVersion);
        Assert.Equal(Store.Location, check.Path);
        Assert.Null(check.Advice);
    }
}
