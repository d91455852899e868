using Climux.Core.FanIn;
using Climux.Core.Sessions;
using Climux.Core.Worktrees;
using LibGit2Sharp;

namespace Climux.Core.Tests.FanIn;

public sealed class MergeQueueTests : IDisposable
{
    private readonly FanInRepo _repo = new();
    private readonly string _integration;

    public MergeQueueTests()
    {
        _repo.Commit(_repo.Main, "base", ("shared.txt", FanInRepo.Lines("shared")), ("other.txt", FanInRepo.Lines("other")));
        _integration = _repo.NewWorktree("integration");
    }

    public void Dispose() => _repo.Dispose();

    private static readonly ClimuxSession SessionA = new()
    {
        Id = "aaaa1111", Provider = "codex", Prompt = "Make feature A", Directory = "/a", Status = SessionStatus.Completed, Result = "A is done",
    };

    private MergeQueue Queue(string into = "integration", MergeQueueOptions? options = null) =>
        new(_repo.Worktrees, _repo.Worktrees.Find(into)!, options ?? new MergeQueueOptions { SessionsOf = n => n == "feature-a" ? [SessionA] : [] });

    private ClimuxMergeResult Merge(MergeQueue queue, string name) => queue.MergeAsync(_repo.Worktrees.Find(name)!).GetAwaiter().GetResult();

    private string Head(string folder) => _repo.Git(folder, "rev-parse", "HEAD");

    /// <summary>feature-a and feature-b change line 2 of shared.txt differently; feature-c changes other.txt.</summary>
    private void ThreeWorktrees()
    {
        _repo.Commit(_repo.NewWorktree("feature-a"), "a", ("shared.txt", FanInRepo.Lines("shared", (2, "from a"))), ("a.txt", "a\n"));
        _repo.Commit(_repo.NewWorktree("feature-b"), "b", ("shared.txt", FanInRepo.Lines("shared", (2, "from b"))));
        _repo.Commit(_repo.NewWorktree("feature-c"), "c", ("other.txt", FanInRepo.Lines("other", (9, "from c"))));
    }

    [Fact]
    public void Merges_in_order_fast_forward_first_then_merge_commits_and_a_conflict_leaves_the_target_as_it_was()
    {
        ThreeWorktrees();
        var queue = Queue();
        var mainBefore = Head(_repo.Main);

        var a = Merge(queue, "feature-a");
        Assert.Equal(ClimuxMergeStatus.FastForward, a.Status);
        Assert.Equal(Head(_repo.PathOf("feature-a")), a.Commit);
        Assert.Equal(a.Commit, Head(_integration));

        var before = _repo.Fingerprint();
        var b = Merge(queue, "feature-b");
        Assert.Equal(ClimuxMergeStatus.Conflicted, b.Status);
        Assert.Equal(["shared.txt"], b.Conflicts);
        Assert.Equal(a.Commit, b.Commit);
        Assert.Equal(before, _repo.Fingerprint()); // same HEAD, index, files; no MERGE_HEAD
        Assert.DoesNotContain("<<<<<<<", File.ReadAllText(Path.Combine(_integration, "shared.txt")));

        var c = Merge(queue, "feature-c");
        Assert.Equal(ClimuxMergeStatus.Merged, c.Status);
        Assert.Equal(c.Commit, Head(_integration));
        using var repository = new Repository(_integration);
        var merge = repository.Head.Tip;
        Assert.Equal([a.Commit, Head(_repo.PathOf("feature-c"))], merge.Parents.Select(p => p.Sha));
        Assert.StartsWith("Merge worktree 'feature-c' into integration", merge.Message);
        Assert.Contains("from a", File.ReadAllText(Path.Combine(_integration, "shared.txt")));
        Assert.Contains("from c", File.ReadAllText(Path.Combine(_integration, "other.txt")));
        Assert.Empty(_repo.Git(_integration, "status", "--porcelain"));
        Assert.Equal(mainBefore, Head(_repo.Main));

        Assert.Equal(ClimuxMergeStatus.UpToDate, Merge(queue, "feature-c").Status);
    }

    [Fact]
    public void The_merge_commit_names_the_worktree_and_its_sessions()
    {
        _repo.Commit(_repo.NewWorktree("feature-a"), "a", ("a.txt", "a\n"));
        _repo.Commit(_integration, "integration's own work", ("i.txt", "i\n"));
        var result = Merge(Queue(), "feature-a");

        Assert.Equal(ClimuxMergeStatus.Merged, result.Status);
        using var repository = new Repository(_integration);
        var message = repository.Lookup<LibGit2Sharp.Commit>(result.Commit).Message;
        Assert.Contains("Merge worktree 'feature-a' into integration", message);
        Assert.Contains("Branch feature-a at ", message);
        Assert.Contains("aaaa1111 (codex, Completed): Make feature A", message);
    }

    [Fact]
    public void A_merged_branch_counts_as_merged_for_Remove_ClimuxWorktree_even_squashed()
    {
        _repo.Commit(_repo.NewWorktree("feature-a"), "a", ("a.txt", "a\n"));
        _repo.Commit(_integration, "integration's own work", ("i.txt", "i\n"));
        Assert.True(_repo.Worktrees.Find("feature-a")!.Unmerged);

        var result = Merge(Queue(options: new MergeQueueOptions { Squash = true }), "feature-a");

        Assert.Equal(ClimuxMergeStatus.Merged, result.Status);
        using (var repository = new Repository(_integration))
        {
            var squashed = repository.Head.Tip;
            Assert.Single(squashed.Parents);
            Assert.StartsWith("Squash worktree 'feature-a'", squashed.Message);
            Assert.NotNull(squashed["a.txt"]);
        }
        var merged = _repo.Worktrees.Find("feature-a")!;
        Assert.False(merged.Unmerged);
        WorktreeManager.CheckRemovable(merged, force: false);

        _repo.Commit(merged.Path, "more work after the merge", ("a2.txt", "more\n"));
        Assert.True(_repo.Worktrees.Find("feature-a")!.Unmerged);
    }

    [Fact]
    public void A_dirty_target_is_refused()
    {
        _repo.Commit(_repo.NewWorktree("feature-a"), "a", ("a.txt", "a\n"));
        _repo.Write(_integration, ("scratch.txt", "not committed\n"));
        var queue = Queue();

        var refused = Assert.Throws<WorktreeException>(() => Merge(queue, "feature-a"));
        Assert.Equal(WorktreeProblem.Dirty, refused.Problem);
        Assert.Equal(WorktreeProblem.Dirty, Assert.Throws<WorktreeException>(queue.EnsureClean).Problem);

        File.Delete(Path.Combine(_integration, "scratch.txt"));
        _repo.Write(_integration, ("shared.txt", "edited\n"));
        Assert.Equal(WorktreeProblem.Dirty, Assert.Throws<WorktreeException>(() => Merge(queue, "feature-a")).Problem);
    }

    [Fact]
    public void The_main_worktree_can_be_the_target_and_its_checked_out_branch_moves()
    {
        _repo.Commit(_repo.NewWorktree("feature-a"), "a", ("a.txt", "a\n"));
        var mainName = Path.GetFileName(_repo.Main);

        var result = Merge(Queue(mainName), "feature-a");

        Assert.Equal(ClimuxMergeStatus.FastForward, result.Status);
        Assert.Equal(result.Commit, _repo.Git(_repo.Main, "rev-parse", "main"));
        Assert.True(File.Exists(Path.Combine(_repo.Main, "a.txt")));
        Assert.Empty(_repo.Git(_repo.Main, "status", "--porcelain"));
    }

    [Fact]
    public void A_failing_test_undoes_the_merge_and_reports_the_end_of_its_output()
    {
        ThreeWorktrees();
        var failing = Queue(options: new MergeQueueOptions { Test = "echo checking the build; echo 'something broke' >&2; exit 3" });
        var before = Head(_integration);

        var result = Merge(failing, "feature-c");

        Assert.Equal(ClimuxMergeStatus.TestFailed, result.Status);
        Assert.Equal(before, result.Commit);
        Assert.Equal(before, Head(_integration));
        Assert.Contains("checking the build", result.TestOutput);
        Assert.Contains("something broke", result.TestOutput);
        Assert.Contains("exited with code 3", result.Message);
        Assert.Empty(_repo.Git(_integration, "status", "--porcelain", "--untracked-files=all"));
        Assert.True(_repo.Worktrees.Find("feature-c")!.Unmerged);

        var passing = Queue(options: new MergeQueueOptions { Test = "test -f a.txt && echo found a.txt" });
        var merged = Merge(passing, "feature-a");
        Assert.Equal(ClimuxMergeStatus.FastForward, merged.Status);
        Assert.Contains("found a.txt", merged.TestOutput);
    }

    [Fact]
    public void A_test_that_runs_too_long_is_stopped_and_the_merge_undone()
    {
        _repo.Commit(_repo.NewWorktree("feature-a"), "a", ("a.txt", "a\n"));
        var before = Head(_integration);
        var queue = Queue(options: new MergeQueueOptions { Test = "echo started; sleep 60", TestTimeout = TimeSpan.FromSeconds(1) });

        var result = Merge(queue, "feature-a");

        Assert.Equal(ClimuxMergeStatus.TestFailed, result.Status);
        Assert.Equal(before, Head(_integration));
        Assert.Contains("did not finish within 1 s", result.Message);
        Assert.Contains("started", result.TestOutput);
    }

    [Fact]
    public void What_if_plans_follow_each_other_without_touching_anything()
    {
        ThreeWorktrees();
        var queue = Queue();
        var before = _repo.Fingerprint();

        var a = queue.Plan(_repo.Worktrees.Find("feature-a")!);
        queue.Assume(a);
        var b = queue.Plan(_repo.Worktrees.Find("feature-b")!);
        queue.Assume(b);
        var c = queue.Plan(_repo.Worktrees.Find("feature-c")!);

        Assert.Equal(ClimuxMergeStatus.FastForward, a.Status);
        Assert.Equal(ClimuxMergeStatus.Conflicted, b.Status);
        Assert.Equal(ClimuxMergeStatus.Merged, c.Status);
        Assert.Equal("conflict in shared.txt (Content)", b.ToString());
        Assert.Equal(before, _repo.Fingerprint());
        // The same prediction as Get-ClimuxConflict.
        var predicted = new ConflictFinder(_repo.Worktrees).Find(["feature-a", "feature-b"]).Where(p => p.Other == "feature-b");
        Assert.Equal(b.Conflicts.Select(p => p.Path), predicted.Select(p => p.Path));
    }

    private sealed class ScriptedResolver(Func<ConflictResolutionRequest, ConflictResolverOutcome> resolve) : IConflictResolver
    {
        public List<ConflictResolutionRequest> Requests { get; } = [];

        public Task<ConflictResolverOutcome> ResolveAsync(ConflictResolutionRequest request, CancellationToken cancellation)
        {
            Requests.Add(request);
            return Task.FromResult(resolve(request));
        }
    }

    private (MergeQueue Queue, ScriptedResolver Resolver) WithResolver(Func<ConflictResolutionRequest, ConflictResolverOutcome> resolve, string? test = null)
    {
        var resolver = new ScriptedResolver(resolve);
        return (Queue(options: new MergeQueueOptions { Resolver = resolver, Test = test, SessionsOf = n => n == "feature-b" ? [SessionA] : [] }), resolver);
    }

    [Fact]
    public void A_resolver_that_settles_the_conflict_gets_a_real_merge_commit()
    {
        ThreeWorktrees();
        var shared = Path.Combine(_integration, "shared.txt");
        var (queue, resolver) = WithResolver(request =>
        {
            // The target is in the conflicted state: a merge in progress, markers in the file.
            Assert.True(File.Exists(Path.Combine(_repo.Git(request.Folder, "rev-parse", "--absolute-git-dir"), "MERGE_HEAD")));
            Assert.Contains("<<<<<<<", File.ReadAllText(shared));
            _repo.Write(request.Folder, ("shared.txt", FanInRepo.Lines("shared", (2, "from a and b"))), ("notes.txt", "resolved\n"));
            _repo.Git(request.Folder, "add", "shared.txt");
            return new ConflictResolverOutcome(true, "res12345");
        });
        var a = Merge(queue, "feature-a");

        var result = Merge(queue, "feature-b");

        Assert.Equal(ClimuxMergeStatus.Resolved, result.Status);
        Assert.Equal("res12345", result.ResolutionSessionId);
        Assert.Equal(["shared.txt"], result.Conflicts);
        var request = Assert.Single(resolver.Requests);
        Assert.Equal(["shared.txt"], request.Conflicts);
        Assert.Contains("- shared.txt", request.Prompt);
        Assert.Contains("Make feature A", request.Prompt);
        using var repository = new Repository(_integration);
        var commit = repository.Head.Tip;
        Assert.Equal(result.Commit, commit.Sha);
        Assert.Equal([a.Commit, Head(_repo.PathOf("feature-b"))], commit.Parents.Select(p => p.Sha));
        Assert.Contains("Conflicts resolved by session res12345", commit.Message);
        Assert.Equal(FanInRepo.Lines("shared", (2, "from a and b")), File.ReadAllText(shared));
        Assert.NotNull(commit["notes.txt"]);
        Assert.Equal(CurrentOperation.None, repository.Info.CurrentOperation);
        Assert.Empty(_repo.Git(_integration, "status", "--porcelain", "--untracked-files=all"));
    }

    [Fact]
    public void A_conflicted_file_the_agent_rewrote_without_staging_it_is_staged_for_it()
    {
        ThreeWorktrees();
        var (queue, _) = WithResolver(request =>
        {
            // As an agent that may edit files but not run git would.
            _repo.Write(request.Folder, ("shared.txt", FanInRepo.Lines("shared", (2, "from a and b"))));
            return new ConflictResolverOutcome(true, "res12345");
        });
        Merge(queue, "feature-a");

        var result = Merge(queue, "feature-b");

        Assert.Equal(ClimuxMergeStatus.Resolved, result.Status);
        Assert.Equal(FanInRepo.Lines("shared", (2, "from a and b")), File.ReadAllText(Path.Combine(_integration, "shared.txt")));
        Assert.Empty(_repo.Git(_integration, "status", "--porcelain", "--untracked-files=all"));
        Assert.Equal(2, _repo.Git(_integration, "log", "-1", "--format=%P").Split(' ').Length);
    }

    [Theory]
    [InlineData("leaves the files as they are", "Unmerged index entries remain for shared.txt")]
    [InlineData("stages the markers", "Conflict markers remain in shared.txt")]
    [InlineData("gives up", "The conflicts were not resolved: it could not decide.")]
    public void An_unresolved_conflict_is_undone_and_reported_with_the_session(string behaviour, string message)
    {
        ThreeWorktrees();
        var (queue, _) = WithResolver(request =>
        {
            _repo.Write(request.Folder, ("scratch/left-behind.txt", "agent's scratch\n"));
            if (behaviour == "stages the markers")
                _repo.Git(request.Folder, "add", "shared.txt");
            return behaviour == "gives up" ? new ConflictResolverOutcome(false, "res12345", "it could not decide") : new ConflictResolverOutcome(true, "res12345");
        });
        Merge(queue, "feature-a");
        var before = _repo.Fingerprint(exact: false);

        var result = Merge(queue, "feature-b");

        Assert.Equal(ClimuxMergeStatus.Conflicted, result.Status);
        Assert.Equal("res12345", result.ResolutionSessionId);
        Assert.Contains(message, result.Message);
        Assert.Equal(before, _repo.Fingerprint(exact: false)); // the merge was made in the target, then undone
        Assert.False(Directory.Exists(Path.Combine(_integration, "scratch")));
    }

    [Fact]
    public void A_resolved_merge_whose_test_fails_is_undone()
    {
        ThreeWorktrees();
        var (queue, _) = WithResolver(request =>
        {
            _repo.Write(request.Folder, ("shared.txt", "resolved badly\n"));
            _repo.Git(request.Folder, "add", "shared.txt");
            return new ConflictResolverOutcome(true, "res12345");
        }, test: "grep -q 'shared 20' shared.txt");
        Merge(queue, "feature-a");
        var before = _repo.Fingerprint(exact: false);

        var result = Merge(queue, "feature-b");

        Assert.Equal(ClimuxMergeStatus.TestFailed, result.Status);
        Assert.Equal("res12345", result.ResolutionSessionId);
        Assert.Equal(before, _repo.Fingerprint(exact: false));
    }

    [Fact]
    public void A_target_without_a_branch_is_refused()
    {
        _repo.Git(_integration, "checkout", "-q", "--detach");
        var problem = Assert.Throws<FanInException>(() => Queue()).Problem;
        Assert.Equal(FanInProblem.Detached, problem);
    }
}
