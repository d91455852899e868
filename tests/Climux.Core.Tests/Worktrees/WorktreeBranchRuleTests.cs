using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Tests.Support;
using Climux.Core.Worktrees;
using LibGit2Sharp;

namespace Climux.Core.Tests.Worktrees;

/// <summary>The --branch rule of <c>climux worktree create</c>: new, free, or checked out elsewhere (then the base).</summary>
public sealed class WorktreeBranchRuleTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ClimuxEngine _engine;
    private readonly WorktreeManager _worktrees;
    private readonly string _repo;

    public WorktreeBranchRuleTests()
    {
        _engine = ClimuxEngine.Open(_temp.Home());
        _repo = TestGit.InitRepo(_temp.Combine("repo"));
        _worktrees = _engine.Worktrees(_repo, new ClimuxConfig());
    }

    public void Dispose()
    {
        _engine.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void A_branch_that_does_not_exist_is_made_and_checked_out()
    {
        var created = _worktrees.CreateFromBranchOrBase("feat-backend", "feature/user-auth", null);

        Assert.Equal("feature/user-auth", created.Worktree.Branch);
        Assert.Null(created.Note);
    }

    [Fact]
    public void An_existing_branch_checked_out_nowhere_is_used_as_it_is()
    {
        using (var repository = new Repository(_repo))
            repository.CreateBranch("feature/free");

        var created = _worktrees.CreateFromBranchOrBase("feat-free", "feature/free", null);

        Assert.Equal("feature/free", created.Worktree.Branch);
        Assert.Null(created.Note);
    }

    [Fact]
    public void A_branch_checked_out_elsewhere_becomes_the_base_of_a_branch_named_after_the_worktree()
    {
        var created = _worktrees.CreateFromBranchOrBase("feat-frontend", "main", null);

        Assert.Equal("feat-frontend", created.Worktree.Branch);
        Assert.Equal("main", created.Worktree.BaseBranch);
        Assert.Contains("'main' is checked out in another worktree", created.Note);
        using var repository = new Repository(_repo);
        Assert.Equal(repository.Branches["main"].Tip.Sha, repository.Branches["feat-frontend"].Tip.Sha);
    }

    [Fact]
    public void With_an_explicit_base_a_checked_out_branch_is_still_refused()
    {
        var e = Assert.Throws<WorktreeException>(() => _worktrees.CreateFromBranchOrBase("feat-x", "main", "main"));

        Assert.Equal(WorktreeProblem.BranchCheckedOut, e.Problem);
    }
}
