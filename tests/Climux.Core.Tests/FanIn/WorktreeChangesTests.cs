using Climux.Core.FanIn;

namespace Climux.Core.Tests.FanIn;

public sealed class WorktreeChangesTests : IDisposable
{
    private readonly FanInRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Lists_committed_and_uncommitted_changes_against_the_merge_base_with_the_base_branch()
    {
        _repo.Write(_repo.Main, ("keep.txt", FanInRepo.Lines("keep")), ("move.txt", FanInRepo.Lines("move")), ("gone.txt", "gone\n"));
        _repo.WriteBytes(_repo.Main, "image.bin", 1);
        _repo.Commit(_repo.Main, "base");
        var folder = _repo.NewWorktree("feature-a");
        _repo.Git(folder, "mv", "move.txt", "moved.txt");
        _repo.WriteBytes(folder, "image.bin", 2);
        _repo.Commit(folder, "committed work", ("keep.txt", FanInRepo.Lines("keep", (3, "three"), (4, "four"))), ("gone.txt", null));
        _repo.Write(folder, ("new.txt", "one\ntwo\n"), ("moved.txt", FanInRepo.Lines("move", (20, "last line changed"))));
        _repo.Commit(_repo.Main, "main moves on", ("main-only.txt", "not the worktree's\n"));
        var before = _repo.Fingerprint();

        var changes = new WorktreeChanges(_repo.Worktrees).Read(["feature-a"], withPatch: true).ToDictionary(c => c.Path);

        Assert.Equal(["gone.txt", "image.bin", "keep.txt", "moved.txt", "new.txt"], changes.Keys);
        Assert.All(changes.Values, c => Assert.Equal("feature-a", c.Worktree));
        Assert.Equal((WorktreeChangeStatus.Deleted, 0, 1), (changes["gone.txt"].Status, changes["gone.txt"].LinesAdded, changes["gone.txt"].LinesRemoved));
        Assert.Equal((WorktreeChangeStatus.Modified, true), (changes["image.bin"].Status, changes["image.bin"].Binary));
        Assert.Equal((WorktreeChangeStatus.Modified, 2, 2, false), (changes["keep.txt"].Status, changes["keep.txt"].LinesAdded, changes["keep.txt"].LinesRemoved, changes["keep.txt"].Binary));
        Assert.Equal((WorktreeChangeStatus.Renamed, "move.txt", 1, 1), (changes["moved.txt"].Status, changes["moved.txt"].OldPath, changes["moved.txt"].LinesAdded, changes["moved.txt"].LinesRemoved));
        Assert.Equal((WorktreeChangeStatus.Added, 2, null), (changes["new.txt"].Status, changes["new.txt"].LinesAdded, changes["new.txt"].OldPath));
        Assert.Contains("+four", changes["keep.txt"].Patch);
        Assert.Contains("diff --git a/keep.txt b/keep.txt", changes["keep.txt"].Patch);
        Assert.Equal(before, _repo.Fingerprint());

        Assert.All(new WorktreeChanges(_repo.Worktrees).Read(["feature-a"], withPatch: false), c => Assert.Null(c.Patch));
        var committed = new WorktreeChanges(_repo.Worktrees).Read(["feature-a"], withPatch: false, includeUncommitted: false);
        Assert.Equal(["gone.txt", "image.bin", "keep.txt", "moved.txt"], committed.Select(c => c.Path));
    }

    [Fact]
    public void Get_ClimuxWorktree_shows_the_base_branch_and_the_number_of_changed_files()
    {
        _repo.Commit(_repo.Main, "base", ("a.txt", FanInRepo.Lines("a")));
        var folder = _repo.NewWorktree("feature-a");
        _repo.Git(folder, "mv", "a.txt", "b.txt");
        _repo.Commit(folder, "rename");
        _repo.Write(folder, ("c.txt", "new\n"));
        var fromCommit = _repo.Worktrees.Create("feature-pinned", baseRef: _repo.Git(_repo.Main, "rev-parse", "HEAD"));

        var all = _repo.Worktrees.List().ToDictionary(w => w.Name);

        var main = all[Path.GetFileName(_repo.Main)];
        Assert.Equal((null, null), (main.BaseBranch, main.ChangedFiles));
        Assert.Equal(("main", 2), (all["feature-a"].BaseBranch, all["feature-a"].ChangedFiles)); // a rename counts once
        Assert.Equal((null, 0), (fromCommit.BaseBranch, fromCommit.ChangedFiles));
    }
}
