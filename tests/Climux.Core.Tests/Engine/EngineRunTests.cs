using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Platform;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Engine;

/// <summary>The run path through the engine, end to end, with the fake agent standing in for the CLIs.</summary>
public sealed class EngineRunTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempFolder _temp = new("climux-engine");
    private ClimuxEngine _engine = null!;

    public Task InitializeAsync()
    {
        _engine = ClimuxEngine.Open(_temp.Home());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _temp.Dispose();
    }

    private ClimuxConfig Config(int maxActive = 5) => FakeAgents.Config(_temp.Path, maxActive);

    private RunRequest Request(string prompt, ClimuxConfig? config = null, RunOptions? options = null, string[]? dependsOn = null, string provider = "codex") => new()
    {
        Config = config ?? Config(),
        Prompt = prompt,
        Directory = Directory.CreateDirectory(_temp.Combine("work")).FullName,
        Provider = provider,
        Options = options ?? new RunOptions(),
        DependsOn = dependsOn ?? [],
    };

    /// <summary>Queues and starts a run, with its updates collected and a task that completes once its agent runs.</summary>
    private (RunHandle Handle, List<RunUpdate> Updates, Task Running) Start(RunRequest request)
    {
        var handle = _engine.Runs.Queue(request);
        var updates = new List<RunUpdate>();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        handle.Updated += update =>
        {
            lock (updates)
                updates.Add(update);
            if (update is RunStatusUpdate { Status: SessionStatus.Running, Message: var message } && message.Contains("pid"))
                running.TrySetResult();
        };
        _engine.Runs.Start(handle);
        return (handle, updates, running.Task);
    }

    [Fact]
    public async Task A_run_is_queued_admitted_run_and_completed()
    {
        var (handle, updates, _) = Start(Request("Say hello", provider: "claude-code"));
        Assert.Equal(SessionStatus.Queued, handle.Session.Status);
        Assert.Same(handle, _engine.Runs.Find(handle.SessionId));

        var session = await handle.Completion.WaitAsync(Patience);
        Assert.Equal(SessionStatus.Completed, session.Status);
        Assert.Equal(0, session.ExitCode);
        Assert.Contains("MOCK_REPLY turn=1: you said \"Say hello\"", session.Result);
        Assert.True(session.TotalTokens > 0);
        Assert.Equal((Environment.MachineName, Environment.ProcessId), (session.Host, session.HostPid!.Value));
        Assert.NotNull(session.StartedAt);
        Assert.NotNull(session.EndedAt);
        Assert.Null(session.Pid);
        Assert.Equal(session.Status, _engine.Store.Get(session.Id)!.Status);
        Assert.Null(_engine.Runs.Find(handle.SessionId));

        var events = _engine.Sessions.Events(session.Id);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Contains(events, e => e.Kind == SessionEventKind.Result);
        lock (updates)
        {
            var statuses = updates.OfType<RunStatusUpdate>().Select(u => u.Status).Distinct().ToList();
            Assert.Equal([SessionStatus.Queued, SessionStatus.Running, SessionStatus.Completed], statuses);
            Assert.Contains(updates.OfType<RunTranscriptUpdate>(), u => u.Event.Kind == SessionEventKind.Result);
        }
    }

    [Fact]
    public async Task A_run_whose_agent_fails_ends_Failed_and_says_so()
    {
        var (handle, _, _) = Start(Request("break [[error]]"));
        var session = await handle.Completion.WaitAsync(Patience);
        Assert.Equal(SessionStatus.Failed, session.Status);
        Assert.Equal(1, session.ExitCode);
        var failure = RunFailedException.Of(session);
        Assert.NotNull(failure);
        Assert.False(failure.TimedOut);
        Assert.Contains(session.Id, failure.Message);
        Assert.Null(RunFailedException.Of(session with { Status = SessionStatus.Completed }));
        Assert.Null(RunFailedException.Of(session with { Status = SessionStatus.Stopped }));
    }

    [Fact]
    public async Task A_stopped_run_ends_Stopped_with_its_agent_tree_killed()
    {
        var (handle, _, running) = Start(Request("wait for me [[hang-tree]]"));
        await running.WaitAsync(Patience);
        var agent = handle.Agent!.Value;
        for (var waited = 0; ChildrenOf().Count == 0; waited += 50)
        {
            Assert.True(waited < Patience.TotalMilliseconds, "the fake agent started no child");
            await Task.Delay(50);
        }
        Assert.True(agent.IsAlive);

        var stopped = await _engine.Sessions.StopAsync(handle.SessionId, "Stopped by the test.", Patience);
        Assert.Equal(SessionStatus.Stopped, stopped.Status);
        Assert.Equal("Stopped by the test.", stopped.Error);
        var children = ChildrenOf();
        Assert.NotEmpty(children);
        // Killed is not gone yet on a busy machine: give the kernel a moment to reap them.
        for (var waited = 0; agent.IsAlive || children.Any(c => ProcessIdentity.Of(c) is not null); waited += 100)
        {
            Assert.True(waited < 10_000, $"the agent ({agent.IsAlive}) or its children ({string.Join(", ", children.Where(c => ProcessIdentity.Of(c) is not null))}) survived");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_stop_asked_for_through_the_store_stops_the_run_of_another_engine()
    {
        var (handle, _, running) = Start(Request("[[hang]]"));
        await running.WaitAsync(Patience);
        // Another process's engine on the same home: it asks through the store and the signal.
        Assert.True(_engine.Store.RequestStop(handle.SessionId, "Stopped from elsewhere."));
        _engine.Signal.Notify();
        var session = await handle.Completion.WaitAsync(Patience);
        Assert.Equal((SessionStatus.Stopped, "Stopped from elsewhere."), (session.Status, session.Error));
    }

    [Fact]
    public async Task A_run_past_its_timeout_ends_TimedOut()
    {
        var (handle, _, _) = Start(Request("[[hang]]", options: new RunOptions { TimeoutSeconds = 1 }));
        var session = await handle.Completion.WaitAsync(Patience);
        Assert.Equal(SessionStatus.TimedOut, session.Status);
        Assert.Contains("-Timeout 1 s", session.Error);
        Assert.True(RunFailedException.Of(session)!.TimedOut);
    }

    [Fact]
    public async Task A_dependent_run_starts_after_its_dependency_completes()
    {
        var (first, _, _) = Start(Request("first [[sleep:700]]"));
        var (second, _, _) = Start(Request("second", dependsOn: [first.SessionId[..6]]));
        Assert.Equal([first.SessionId], second.Session.DependsOn);

        var done = await Task.WhenAll(first.Completion, second.Completion).WaitAsync(Patience);
        Assert.All(done, s => Assert.Equal(SessionStatus.Completed, s.Status));
        Assert.True(done[1].StartedAt >= done[0].EndedAt, "the dependent run started before its dependency ended");
    }

    [Fact]
    public async Task A_dependent_run_of_a_failed_run_fails_without_starting()
    {
        var (first, _, _) = Start(Request("first [[error]]"));
        var (second, _, _) = Start(Request("second", dependsOn: [first.SessionId]));
        var done = await Task.WhenAll(first.Completion, second.Completion).WaitAsync(Patience);
        Assert.Equal(SessionStatus.Failed, done[0].Status);
        Assert.Equal(SessionStatus.Failed, done[1].Status);
        Assert.Equal($"Not started: dependency {first.SessionId} ended Failed.", done[1].Error);
        Assert.Null(done[1].StartedAt);
    }

    [Fact]
    public void A_dependency_that_matches_no_session_is_refused_before_anything_is_queued()
    {
        var e = Assert.Throws<RunRequestException>(() => _engine.Runs.Queue(Request("x", dependsOn: ["nosuch"])));
        Assert.Equal(RunRequestProblem.DependencyNotFound, e.Kind);
        Assert.Equal("nosuch", Assert.IsType<SessionNotFoundException>(e.InnerException).Reference);
        Assert.Empty(_engine.Store.Find(new SessionFilter()));
    }

    [Fact]
    public async Task The_machine_limit_holds_runs_in_the_queue()
    {
        var config = Config(maxActive: 1);
        var runs = Enumerable.Range(0, 3).Select(i => Start(Request($"run {i} [[sleep:300]]", config)).Handle).ToList();
        var done = await Task.WhenAll(runs.Select(r => r.Completion)).WaitAsync(Patience);
        Assert.All(done, s => Assert.Equal(SessionStatus.Completed, s.Status));
        var ordered = done.OrderBy(s => s.StartedAt).ToList();
        Assert.Equal(runs.Select(r => r.SessionId), ordered.Select(s => s.Id)); // FIFO
        for (var i = 1; i < ordered.Count; i++)
            Assert.True(ordered[i].StartedAt >= ordered[i - 1].EndedAt, "two runs overlapped with a limit of 1");
    }

    [Fact]
    public async Task A_run_whose_row_vanishes_writes_it_again_and_ends_with_its_real_status()
    {
        var (handle, updates, running) = Start(Request("keep going [[slow:400]]"));
        await running.WaitAsync(Patience);
        foreach (var file in Directory.GetFiles(_engine.Home.Root, "climux.db*"))
            File.Delete(file);

        var session = await handle.Completion.WaitAsync(Patience);
        Assert.Equal(SessionStatus.Completed, session.Status);
        Assert.Contains("MOCK_REPLY", session.Result);
        var stored = _engine.Store.Get(handle.SessionId)!;
        Assert.Equal((SessionStatus.Completed, session.Result), (stored.Status, stored.Result));
        Assert.NotNull(stored.StartedAt);
        Assert.Contains(_engine.Sessions.Events(handle.SessionId), e => e.Kind == SessionEventKind.Warning && e.Text!.Contains("wrote it again"));
        lock (updates)
            Assert.Contains(updates.OfType<RunWarningUpdate>(), u => u.Message.Contains("lost the record"));
    }

    [Fact]
    public async Task A_queued_run_whose_row_vanishes_is_queued_again_and_runs()
    {
        var config = Config(maxActive: 1);
        var (blocker, _, running) = Start(Request("[[sleep:1500]]", config));
        await running.WaitAsync(Patience);
        var (queued, _, _) = Start(Request("after the blocker", config));
        await Task.Delay(200);
        Assert.Equal(SessionStatus.Queued, _engine.Store.Get(queued.SessionId)!.Status);
        foreach (var file in Directory.GetFiles(_engine.Home.Root, "climux.db*"))
            File.Delete(file);

        var done = await Task.WhenAll(blocker.Completion, queued.Completion).WaitAsync(Patience);
        Assert.All(done, s => Assert.Equal(SessionStatus.Completed, s.Status));
        Assert.Equal(SessionStatus.Completed, _engine.Store.Get(queued.SessionId)!.Status);
    }

    [Fact]
    public async Task Disposing_the_engine_stops_its_runs_and_refuses_new_ones()
    {
        var (handle, _, running) = Start(Request("[[hang]]"));
        await running.WaitAsync(Patience);
        var agent = handle.Agent!.Value;

        await _engine.DisposeAsync();
        Assert.True(handle.Completion.IsCompleted);
        Assert.False(agent.IsAlive);
        Assert.Throws<ObjectDisposedException>(() => _engine.Runs.Queue(Request("too late")));
        using var store = ClimuxStore.Open(_temp.Home());
        var session = store.Get(handle.SessionId)!;
        Assert.Equal((SessionStatus.Stopped, "The Climux engine that ran it was closed."), (session.Status, session.Error));
    }

    [Fact]
    public async Task Two_engines_on_one_home_share_its_queue()
    {
        await using var other = ClimuxEngine.Open(_temp.Home());
        var config = Config(maxActive: 1);
        var (mine, _, running) = Start(Request("[[sleep:800]]", config));
        await running.WaitAsync(Patience);
        var theirs = other.Runs.Queue(Request("next", config));
        other.Runs.Start(theirs);

        var waited = await other.Sessions.WaitAsync([mine.SessionId, theirs.SessionId], any: false, Patience, null);
        Assert.All(waited, s => Assert.Equal(SessionStatus.Completed, s.Status));
        var (a, b) = (waited.Single(s => s.Id == mine.SessionId), waited.Single(s => s.Id == theirs.SessionId));
        Assert.True(b.StartedAt >= a.EndedAt, "the other engine's run did not wait for the free slot");
    }

    [Fact]
    public async Task A_resumed_run_continues_the_conversation_with_the_parents_limits()
    {
        var (first, _, _) = Start(Request("remember this", options: new RunOptions { TimeoutSeconds = 600, MaxCost = 5m }, provider: "claude-code"));
        var parent = await first.Completion.WaitAsync(Patience);
        Assert.Equal(SessionStatus.Completed, parent.Status);

        var request = RunRequest.ResumeOf(parent, Config(), "and now this", new RunOptions { MaxCost = 1m });
        Assert.Equal((600, 1m, parent.Directory, parent.Mode), (request.Options.TimeoutSeconds!.Value, request.Options.MaxCost!.Value, request.Directory, request.Mode));
        var (second, _, _) = Start(request);
        var child = await second.Completion.WaitAsync(Patience);
        Assert.Equal(SessionStatus.Completed, child.Status);
        Assert.Equal((parent.Id, parent.NativeSessionId), (child.ParentId, child.NativeSessionId));
        Assert.Contains("turn=2", child.Result);

        var active = _engine.Runs.Queue(Request("[[hang]]"));
        _engine.Runs.Start(active);
        var refused = Assert.Throws<RunRequestException>(() => _engine.Runs.Queue(RunRequest.ResumeOf(active.Session, Config(), "x", new RunOptions())));
        Assert.Equal(RunRequestProblem.SessionActive, refused.Kind);
    }

    [Fact]
    public void The_folder_of_a_run_comes_from_the_worktree_the_workspace_or_the_current_folder()
    {
        var repo = TestGit.InitRepo(_temp.Combine("repo"));
        var nested = Directory.CreateDirectory(Path.Combine(repo, "src", "deep")).FullName;
        var config = Config();
        config.Worktrees.Root = _temp.Combine("worktrees");
        var worktree = _engine.Worktrees(repo, config).Create("feature-x");

        Assert.Equal(nested, _engine.ResolveRunDirectory(nested, null, null, config));
        Assert.Equal(repo, _engine.ResolveRunDirectory(_temp.Path, nested, null, config));
        Assert.Equal(repo, _engine.ResolveRunDirectory(repo, "src/deep", null, config));
        Assert.Equal(worktree.Path, _engine.ResolveRunDirectory(nested, null, "feature-x", config));
        Assert.Equal(worktree.Path, _engine.ResolveRunDirectory(_temp.Path, repo, "feature-x", config));
        var missing = Assert.Throws<RunRequestException>(() => _engine.ResolveRunDirectory(repo, null, "nope", config));
        Assert.Equal(RunRequestProblem.DirectoryNotFound, missing.Kind);
        Assert.Contains("New-ClimuxWorktree nope", missing.Message);
        var outside = Assert.Throws<RunRequestException>(() => _engine.ResolveRunDirectory(_temp.Path, null, "feature-x", config));
        Assert.Contains("not in a git repository", outside.Message);
    }

    /// <summary>Pids of the children the fake agents of this test logged (by [[hang-tree]]).</summary>
    private List<int> ChildrenOf()
    {
        var log = _temp.Combine("fake-log", "invocations.jsonl");
        if (!File.Exists(log))
            return [];
        return File.ReadLines(log)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("event").GetString() == "child")
            .Select(e => e.GetProperty("pid").GetInt32())
            .ToList();
    }
}
