using Climux.Core.FanIn;
using Climux.Core.Providers;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.FanIn;

public sealed class PublisherTests : IDisposable
{
    private readonly FanInRepo _repo = new();
    private readonly string _remote;

    public PublisherTests()
    {
        _repo.Commit(_repo.Main, "base", ("a.txt", FanInRepo.Lines("a")));
        _remote = Path.Combine(_repo.Temp, "remote.git");
        _repo.Git(_repo.Temp, "init", "-q", "--bare", _remote);
        _repo.Git(_repo.Main, "remote", "add", "origin", _remote);
        _repo.Commit(_repo.NewWorktree("feature-a"), "a", ("a.txt", FanInRepo.Lines("a", (1, "changed"))), ("b.txt", "b\n"));
    }

    public void Dispose() => _repo.Dispose();

    private static readonly ClimuxSession[] Sessions =
    [
        new() { Id = "aaaa1111", Provider = "codex", Model = "gpt-5", Prompt = "Add the b file\nand change a", Directory = "/a", Status = SessionStatus.Completed, Result = "Added b.", CostUsd = 0.25m },
    ];

    /// <summary>A stand-in for gh that records its arguments (NUL-separated) and prints a pull request's address.</summary>
    private string FakeGh()
    {
        var script = Path.Combine(_repo.Temp, "gh");
        File.WriteAllText(script, $"#!/bin/sh\nprintf '%s\\0' \"$@\" > '{_repo.Temp}/gh-args'\necho 'Creating pull request'\necho https://github.com/example/app/pull/7\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private string? Programs(string name) => name == "gh" ? FakeGh() : CommandResolver.Resolve(name);

    [Fact]
    public async Task Pushes_the_branch_and_sets_its_upstream()
    {
        var worktree = _repo.Worktrees.Find("feature-a")!;

        var result = await new Publisher(_repo.Worktrees).PublishAsync(worktree, new PublishOptions(), Sessions);

        Assert.Equal(("feature-a", "feature-a", "origin", true, null), (result.Worktree, result.Branch, result.Remote, result.Pushed, result.PullRequestUrl));
        Assert.Equal(_repo.Git(worktree.Path, "rev-parse", "HEAD"), _repo.Git(_remote, "rev-parse", "refs/heads/feature-a"));
        Assert.Equal("origin/feature-a", _repo.Git(worktree.Path, "rev-parse", "--abbrev-ref", "feature-a@{upstream}"));
    }

    [Fact]
    public async Task Opens_a_pull_request_with_gh_titled_by_the_first_prompt()
    {
        var worktree = _repo.Worktrees.Find("feature-a")!;

        var result = await new Publisher(_repo.Worktrees, Programs).PublishAsync(worktree, new PublishOptions { PullRequest = true, Draft = true }, Sessions);

        Assert.Equal("https://github.com/example/app/pull/7", result.PullRequestUrl);
        var arguments = File.ReadAllText(Path.Combine(_repo.Temp, "gh-args")).Split('\0')[..^1];
        Assert.Equal(["pr", "create", "--head", "feature-a", "--title", "Add the b file"], arguments[..6]);
        var body = arguments[Array.IndexOf(arguments, "--body") + 1];
        Assert.Contains("`aaaa1111` codex (gpt-5), Completed", body);
        Assert.Contains("> Added b.", body);
        Assert.Contains("## Files changed (2)", body);
        Assert.Contains("`b.txt` Added, +1 -0", body);
        Assert.Contains("Cost: $0.2500", body);
        Assert.Equal("main", arguments[Array.IndexOf(arguments, "--base") + 1]);
        Assert.Equal("--draft", arguments[^1]);
    }

    [Fact]
    public async Task Says_what_to_do_when_the_remote_git_or_gh_is_missing()
    {
        var worktree = _repo.Worktrees.Find("feature-a")!;

        var remote = await Assert.ThrowsAsync<FanInException>(() => new Publisher(_repo.Worktrees).PublishAsync(worktree, new PublishOptions { Remote = "upstream" }, []));
        Assert.Equal(FanInProblem.RemoteNotFound, remote.Problem);
        Assert.Contains("git remote add upstream <url>", remote.Message);
        Assert.Contains("it has origin", remote.Message);

        var gh = await Assert.ThrowsAsync<FanInException>(() =>
            new Publisher(_repo.Worktrees, n => n == "gh" ? null : CommandResolver.Resolve(n)).PublishAsync(worktree, new PublishOptions { PullRequest = true }, []));
        Assert.Equal(FanInProblem.GhNotFound, gh.Problem);
        Assert.Contains("https://cli.github.com", gh.Message);
        Assert.Empty(_repo.Git(_remote, "branch", "--list")); // nothing was pushed

        var git = Assert.Throws<FanInException>(() => new Publisher(_repo.Worktrees, _ => null).Check(worktree, new PublishOptions()));
        Assert.Equal(FanInProblem.GitNotFound, git.Problem);
    }

    [Fact]
    public async Task A_rejected_push_is_an_error_with_git_s_reason()
    {
        var worktree = _repo.Worktrees.Find("feature-a")!;
        var other = Path.Combine(_repo.Temp, "other-clone");
        _repo.Git(_repo.Temp, "clone", "-q", _remote, other);
        _repo.Commit(other, "someone else's work", ("c.txt", "c\n"));
        _repo.Git(other, "push", "-q", "origin", "HEAD:refs/heads/feature-a");

        var rejected = await Assert.ThrowsAsync<FanInException>(() => new Publisher(_repo.Worktrees).PublishAsync(worktree, new PublishOptions(), []));

        Assert.Equal(FanInProblem.PushFailed, rejected.Problem);
        Assert.Contains("rejected", rejected.Message);
    }
}
