using Climux.Core.Config;
using Climux.Core.Runs;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.FanIn;

/// <summary>
/// Runs started with MergeDependencies: their dependencies' worktrees are merged into theirs before
/// the agent starts. A shell-script agent (a command provider) carries out the ';'-separated
/// instructions on its prompt's last line, resolves the conflicted files its prompt lists by keeping
/// both sides, and commits unless a merge is in progress.
/// </summary>
public sealed class DependencyMergeTests : IDisposable
{
    private const string Script = """
        set -e
        echo "$1" | sed -n '/^Conflicted files:/,/^$/p' | sed -n 's/^- //p' | while read -r file; do
            sed -i -e '/^<<<<<<< /d' -e '/^=======$/d' -e '/^>>>>>>> /d' "$file"
            git add -- "$file"
        done
        echo "$1" | tail -n 1 | tr ';' '\n' | while read -r verb file a b; do
            case "$verb" in
                write) echo "$a" > "$file" ;;
                line) sed -i "${a}s/.*/${b}/" "$file" ;;
                see) cat "$file" "$a" > seen.txt ;;
            esac
        done
        git add -A
        [ -f "$(git rev-parse --git-dir)/MERGE_HEAD" ] || git -c user.name=agent -c user.email=agent@example.invalid commit -q -m "$1"
        echo done
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ClimuxConfig _config;
    private readonly FanInRepo _repo;

    public DependencyMergeTests()
    {
        var script = Path.Combine(Path.GetTempPath(), $"climux-agent-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, Script);
        _config = new ClimuxConfig { DefaultProvider = "script" };
        _config.Providers["script"] = new ProviderConfig { Command = "/bin/sh", Args = [script, "{prompt}"], Output = ProviderOutput.Text };
        _repo = new FanInRepo(_config);
        _repo.Commit(_repo.Main, "shared", ("shared.txt", FanInRepo.Lines("line")));
    }

    public void Dispose() => _repo.Dispose();

    private async Task<ClimuxSession> RunAsync(string prompt, string? worktree, string[]? dependsOn = null, bool merge = false, bool resolve = false)
    {
        var handle = _repo.Engine.Runs.Queue(new RunRequest
        {
            Config = _config,
            Prompt = prompt,
            Directory = worktree is null ? _repo.Main : _repo.PathOf(worktree),
            Worktree = worktree,
            DependsOn = dependsOn ?? [],
            MergeDependencies = merge,
            ResolveConflicts = resolve,
        });
        _repo.Engine.Runs.Start(handle);
        return await handle.Completion.WaitAsync(Patience);
    }

    /// <summary>Phase 1: a run in each new worktree; phase 2's worktree, made before they ran.</summary>
    private async Task<string[]> Phase1Async(params (string Worktree, string Prompt)[] runs)
    {
        _repo.NewWorktree("phase2");
        foreach (var (worktree, _) in runs)
            _repo.NewWorktree(worktree);
        var sessions = await Task.WhenAll(runs.Select(r => RunAsync(r.Prompt, r.Worktree)));
        Assert.All(sessions, s => Assert.Equal(SessionStatus.Completed, s.Status));
        return [.. sessions.Select(s => s.Id)];
    }

    [Fact]
    public async Task The_dependencies_are_merged_in_order_before_the_agent_starts_and_it_sees_their_work()
    {
        var phase1 = await Phase1Async(("a", "write a.txt from-a"), ("b", "write b.txt from-b;line shared.txt 5 from-b"));
        var session = await RunAsync("see a.txt b.txt;write p.txt from-phase2", "phase2", phase1, merge: true);

        Assert.Equal(SessionStatus.Completed, session.Status);
        var folder = _repo.PathOf("phase2");
        Assert.Equal("from-a\nfrom-b\n", File.ReadAllText(Path.Combine(folder, "seen.txt")));
        Assert.Equal("from-phase2\n", File.ReadAllText(Path.Combine(folder, "p.txt")));
        // a fast-forwards, b is merged with a merge commit, then the agent's own commit.
        Assert.Equal(_repo.Git(_repo.PathOf("b"), "rev-parse", "HEAD"), _repo.Git(folder, "rev-parse", "HEAD~1^2"));
        Assert.Equal(_repo.Git(_repo.PathOf("a"), "rev-parse", "HEAD"), _repo.Git(folder, "rev-parse", "HEAD~1^1"));
        var notes = string.Join("\n", _repo.Engine.Sessions.Events(session.Id).Select(e => e.Text));
        Assert.Contains("Merged dependency worktree 'a' into 'phase2': FastForward", notes);
        Assert.Contains("Merged dependency worktree 'b' into 'phase2': Merged", notes);
        Assert.Equal(_repo.Git(_repo.Main, "rev-parse", "main"), _repo.Git(_repo.Main, "rev-parse", "HEAD"));
    }

    [Fact]
    public async Task A_conflict_fails_the_run_before_its_agent_starts_naming_paths_and_worktrees()
    {
        var phase1 = await Phase1Async(("a", "line shared.txt 2 from-a"), ("b", "line shared.txt 2 from-b"));
        var session = await RunAsync("write p.txt from-phase2", "phase2", phase1, merge: true);

        Assert.Equal(SessionStatus.Failed, session.Status);
        Assert.Contains("conflicts: 'b' with 'phase2' in shared.txt", session.Error);
        Assert.Null(session.ExitCode);
        var folder = _repo.PathOf("phase2");
        Assert.False(File.Exists(Path.Combine(folder, "p.txt")));
        // a was merged; the conflicting merge of b left the worktree as it was.
        Assert.Equal(_repo.Git(_repo.PathOf("a"), "rev-parse", "HEAD"), _repo.Git(folder, "rev-parse", "HEAD"));
        Assert.Equal("", _repo.Git(folder, "status", "--porcelain"));
    }

    [Fact]
    public async Task With_ResolveConflicts_the_runs_own_agent_resolves_first_and_the_merge_is_a_real_merge_commit()
    {
        var phase1 = await Phase1Async(("a", "line shared.txt 2 from-a"), ("b", "line shared.txt 2 from-b"));
        var session = await RunAsync("write p.txt from-phase2", "phase2", phase1, merge: true, resolve: true);

        Assert.Equal(SessionStatus.Completed, session.Status);
        var folder = _repo.PathOf("phase2");
        var shared = File.ReadAllLines(Path.Combine(folder, "shared.txt"));
        Assert.Equal(["from-a", "from-b"], shared[1..3]);
        Assert.DoesNotContain(shared, line => line.StartsWith("<<<<<<<") || line.StartsWith(">>>>>>>") || line == "=======");
        Assert.Equal($"{_repo.Git(_repo.PathOf("a"), "rev-parse", "HEAD")} {_repo.Git(_repo.PathOf("b"), "rev-parse", "HEAD")}", _repo.Git(folder, "log", "-1", "--format=%P"));
        Assert.Contains($"Conflicts resolved by session {session.Id}", _repo.Git(folder, "log", "-1", "--format=%B"));
        Assert.Equal("from-phase2\n", File.ReadAllText(Path.Combine(folder, "p.txt")));
        Assert.Equal("", _repo.Git(folder, "status", "--porcelain"));
        Assert.Equal("", _repo.Git(folder, "ls-files", "--unmerged"));
    }

    [Fact]
    public async Task A_dependency_outside_any_worktree_fails_the_run_with_a_clear_error()
    {
        _repo.NewWorktree("phase2");
        var outside = await RunAsync("write loose.txt here", worktree: null);
        Assert.Equal(SessionStatus.Completed, outside.Status);
        var session = await RunAsync("write p.txt from-phase2", "phase2", [outside.Id], merge: true);

        Assert.Equal(SessionStatus.Failed, session.Status);
        Assert.Contains($"dependency {outside.Id} ran outside any worktree", session.Error);
        Assert.False(File.Exists(Path.Combine(_repo.PathOf("phase2"), "p.txt")));
    }

    [Fact]
    public async Task A_failed_dependency_fails_the_run_before_anything_is_merged()
    {
        _repo.NewWorktree("phase2");
        _repo.NewWorktree("a");
        var failed = await RunAsync("line no-such-file.txt 1 x", "a");
        Assert.Equal(SessionStatus.Failed, failed.Status);
        var session = await RunAsync("write p.txt from-phase2", "phase2", [failed.Id], merge: true);

        Assert.Equal(SessionStatus.Failed, session.Status);
        Assert.Contains($"dependency {failed.Id} ended Failed", session.Error);
        Assert.Equal(_repo.Git(_repo.Main, "rev-parse", "HEAD"), _repo.Git(_repo.PathOf("phase2"), "rev-parse", "HEAD"));
    }

    [Fact]
    public void The_options_must_make_sense()
    {
        RunRequest Request(bool merge, bool resolve, string[] dependsOn, RunMode mode = RunMode.Task) => new()
        {
            Config = _config, Prompt = "x", Directory = _repo.Main, DependsOn = dependsOn, MergeDependencies = merge, ResolveConflicts = resolve, Mode = mode,
        };
        var noDependencies = Assert.Throws<RunRequestException>(() => _repo.Engine.Runs.Check(Request(merge: true, resolve: false, [])));
        Assert.Contains("-DependsOn", noDependencies.Message);
        Assert.Throws<RunRequestException>(() => _repo.Engine.Runs.Check(Request(merge: false, resolve: true, [])));
    }
}
