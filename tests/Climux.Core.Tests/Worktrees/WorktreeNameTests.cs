using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Tests.Support;
using Climux.Core.Worktrees;

namespace Climux.Core.Tests.Worktrees;

public sealed class WorktreeNameTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ClimuxEngine _engine;
    private readonly WorktreeManager _manager;

    public WorktreeNameTests()
    {
        _engine = ClimuxEngine.Open(_temp.Home());
        _manager = _engine.Worktrees(TestGit.InitRepo(_temp.Combine("app")), new ClimuxConfig());
    }

    public void Dispose()
    {
        _engine.Dispose();
        _temp.Dispose();
    }

    private WorktreeException Refused(Action create) => Assert.Throws<WorktreeException>(create);

    [Theory]
    [InlineData("HEAD")]
    [InlineData("head")]
    [InlineData("FETCH_HEAD")]
    [InlineData("ORIG_HEAD")]
    [InlineData("MERGE_HEAD")]
    [InlineData("CHERRY_PICK_HEAD")]
    [InlineData("feature.lock")]
    [InlineData("@")]
    public void Names_git_reserves_are_refused(string name)
    {
        var e = Refused(() => _manager.Create(name));
        Assert.Equal(WorktreeProblem.InvalidName, e.Problem);
        Assert.Empty(_manager.Names());
    }

    [Fact]
    public void A_reserved_branch_name_is_refused_too()
    {
        var e = Refused(() => _manager.Create("feature-x", branch: "HEAD"));
        Assert.Equal(WorktreeProblem.InvalidName, e.Problem);
    }

    [Fact]
    public void Names_longer_than_the_limit_are_refused_and_the_limit_itself_is_fine()
    {
        var e = Refused(() => _manager.Create(new string('a', WorktreeManager.MaxNameLength + 1)));
        Assert.Equal(WorktreeProblem.InvalidName, e.Problem);
        Assert.Contains($"{WorktreeManager.MaxNameLength} characters", e.Message);
        Assert.Equal(WorktreeManager.MaxNameLength, _manager.Create(new string('b', WorktreeManager.MaxNameLength)).Name.Length);
    }

    [Fact]
    public void The_main_worktree_found_by_its_branch_name_is_refused_as_the_main_worktree()
    {
        var main = _manager.FindForRemoval("main");
        Assert.NotNull(main);
        Assert.True(main.IsMain);
        var e = Refused(() => WorktreeManager.CheckRemovable(main, force: true));
        Assert.Equal(WorktreeProblem.IsMain, e.Problem);
        Assert.Null(_manager.FindForRemoval("no-such-worktree"));
    }
}
