using System.Text.Json;
using Climux.Cli.Tests.Support;

namespace Climux.Cli.Tests;

public sealed class WorktreeCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private JsonElement Worktrees() => JsonDocument.Parse(_cli.Run("worktree", "list", "--format", "json").Out).RootElement;

    [Fact]
    public void Branch_rules_new_branch_and_checked_out_base()
    {
        var backend = _cli.Run("worktree", "create", "feat-backend", "--branch", "feature/user-auth");
        var frontend = _cli.Run("worktree", "create", "feat-frontend", "--branch", "main");

        Assert.True(backend.ExitCode == 0, backend.ToString());
        Assert.True(frontend.ExitCode == 0, frontend.ToString());
        Assert.Contains("'main' is checked out in another worktree", frontend.Error);
        var branches = Worktrees().EnumerateArray().ToDictionary(w => w.GetProperty("name").GetString()!, w => w.GetProperty("branch").GetString());
        Assert.Equal("feature/user-auth", branches["feat-backend"]);
        Assert.Equal("feat-frontend", branches["feat-frontend"]);
    }

    [Fact]
    public void List_names_leaves_out_the_main_worktree_and_delete_removes()
    {
        _cli.Run("worktree", "create", "a-one");
        _cli.Run("worktree", "create", "a-two");

        Assert.Equal("a-one\na-two\n", _cli.Run("worktree", "list", "--format", "names").Out);
        Assert.Equal(0, _cli.Run("worktree", "delete", "a-one", "--delete-branch").ExitCode);
        Assert.Equal("a-two\n", _cli.Run("worktree", "list", "--format", "names").Out);
        Assert.Throws<InvalidOperationException>(() => _cli.Git("rev-parse", "--verify", "a-one"));
    }

    [Fact]
    public void Changes_conflicts_and_merge_over_the_fan_in_engine()
    {
        var left = JsonDocument.Parse(_cli.Run("worktree", "create", "left", "--json").Out).RootElement.GetProperty("path").GetString()!;
        var right = JsonDocument.Parse(_cli.Run("worktree", "create", "right", "--json").Out).RootElement.GetProperty("path").GetString()!;
        foreach (var (path, text) in new[] { (left, "left\n"), (right, "right\n") })
        {
            File.WriteAllText(Path.Combine(path, "README.md"), text);
            Commit(path);
        }

        var changes = JsonDocument.Parse(_cli.Run("worktree", "changes", "left", "--json").Out).RootElement;
        Assert.Equal("Modified", changes[0].GetProperty("status").GetString());
        var conflicts = JsonDocument.Parse(_cli.Run("worktree", "conflicts", "--json").Out).RootElement;
        Assert.Equal("README.md", conflicts[0].GetProperty("path").GetString());
        Assert.Equal("Content", conflicts[0].GetProperty("kind").GetString());

        _cli.Run("worktree", "create", "integration");
        var merge = _cli.Run("worktree", "merge", "left", "right", "--into", "integration", "--json");
        Assert.Equal(ExitCodes.Failed, merge.ExitCode);
        var results = JsonDocument.Parse(merge.Out).RootElement;
        Assert.Equal("FastForward", results[0].GetProperty("status").GetString());
        Assert.Equal("Conflicted", results[1].GetProperty("status").GetString());
    }

    private static void Commit(string path)
    {
        foreach (var args in new[] { new[] { "add", "-A" }, ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "change"] })
        {
            var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = path };
            foreach (var a in args)
                start.ArgumentList.Add(a);
            using var git = System.Diagnostics.Process.Start(start)!;
            git.WaitForExit();
            Assert.Equal(0, git.ExitCode);
        }
    }

    [Fact]
    public void Outside_a_repository_worktree_commands_say_ClimuxNotInWorkspace()
    {
        var outside = Path.Combine(_cli.Root, "plain");
        Directory.CreateDirectory(outside);

        var result = _cli.RunIn(outside, "worktree", "list");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("ClimuxNotInWorkspace", result.Error);
    }
}
