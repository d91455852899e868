using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Tests.Support;
using Climux.Core.Worktrees;

namespace Climux.Core.Tests.Worktrees;

/// <summary>worktrees.copy and .worktreeinclude copy files of the repository, never files from outside it.</summary>
public sealed class WorktreeCopyTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ClimuxEngine _engine;
    private readonly string _repo;
    private readonly string _outside;

    public WorktreeCopyTests()
    {
        _engine = ClimuxEngine.Open(_temp.Home());
        _repo = TestGit.InitRepo(_temp.Combine("repo"));
        _outside = _temp.Write("outside/outside-secret.txt", "SECRET");
        _temp.Write("outside/dir/inner.txt", "SECRET TOO");
    }

    public void Dispose()
    {
        _engine.Dispose();
        _temp.Dispose();
    }

    private (WorktreeManager Manager, List<string> Warnings, string Path) Create(params string[] copy)
    {
        var config = new ClimuxConfig();
        config.Worktrees.Copy = [.. copy];
        var manager = _engine.Worktrees(_repo, config);
        var warnings = new List<string>();
        var worktree = manager.Create("feature-copy", warn: warnings.Add);
        return (manager, warnings, worktree.Path);
    }

    [Fact]
    public void Entries_outside_the_repository_are_refused_with_a_warning()
    {
        File.WriteAllText(Path.Combine(_repo, ".env"), "A=1");
        var (_, warnings, path) = Create("../outside/outside-secret.txt", _outside, ".env", "../outside/dir");
        Assert.Equal("A=1", File.ReadAllText(Path.Combine(path, ".env")));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "outside-secret.txt", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "outside", "outside-secret.txt")));
        // A leading '/' anchors an entry at the repository's top (gitignore syntax): not the file outside.
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("outside the repository", w));
    }

    [Fact]
    public void Symbolic_links_that_lead_outside_are_refused_too()
    {
        File.CreateSymbolicLink(Path.Combine(_repo, "leak.txt"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_repo, "linked-dir"), _temp.Combine("outside", "dir"));
        Directory.CreateDirectory(Path.Combine(_repo, "config"));
        File.WriteAllText(Path.Combine(_repo, "config", "app.local"), "ok");
        File.CreateSymbolicLink(Path.Combine(_repo, "config", "stolen"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_repo, "config", "loop"), _repo); // inside, but never walked into
        var (_, warnings, path) = Create("leak.txt", "linked-dir/inner.txt", "linked-dir", "config");
        Assert.False(File.Exists(Path.Combine(path, "leak.txt")));
        Assert.False(File.Exists(Path.Combine(path, "linked-dir", "inner.txt")));
        Assert.Equal("ok", File.ReadAllText(Path.Combine(path, "config", "app.local")));
        Assert.False(File.Exists(Path.Combine(path, "config", "stolen")));
        Assert.Equal(4, warnings.Count);
    }

    [Fact]
    public void A_link_that_stays_inside_the_repository_is_copied()
    {
        File.WriteAllText(Path.Combine(_repo, "real.env"), "B=2");
        File.CreateSymbolicLink(Path.Combine(_repo, ".env"), "real.env");
        var (_, warnings, path) = Create(".env");
        Assert.Equal("B=2", File.ReadAllText(Path.Combine(path, ".env")));
        Assert.Empty(warnings);
    }

    [Fact]
    public void The_git_folder_is_never_copied()
    {
        var (_, warnings, path) = Create(".git/config");
        Assert.True(File.Exists(Path.Combine(path, ".git"))); // the worktree's own pointer file, untouched
        Assert.Single(warnings);
    }
}
