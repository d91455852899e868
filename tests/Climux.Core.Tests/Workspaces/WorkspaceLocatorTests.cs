using Climux.Core.Tests.Support;
using Climux.Core.Workspaces;

namespace Climux.Core.Tests.Workspaces;

public sealed class WorkspaceLocatorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_folder_deep_in_a_repository_belongs_to_that_repository()
    {
        var repo = TestGit.InitRepo(_temp.Combine("repo"));
        var deep = Directory.CreateDirectory(Path.Combine(repo, "src", "a")).FullName;
        Assert.Equal(repo, WorkspaceLocator.FindWorkspaceRoot(deep));
        Assert.Equal(repo, WorkspaceLocator.FindWorktreeTop(deep));
    }

    [Fact]
    public void A_linked_worktree_belongs_to_its_main_repository()
    {
        var repo = TestGit.InitRepo(_temp.Combine("repo"));
        var linked = _temp.Combine("elsewhere", "feature-x");
        TestGit.Run(repo, "worktree", "add", "-q", "-b", "feature-x", linked);
        Assert.Equal(linked, WorkspaceLocator.FindWorktreeTop(Path.Combine(linked)));
        Assert.Equal(repo, WorkspaceLocator.FindWorkspaceRoot(linked));
    }

    [Fact]
    public void Outside_git_there_is_no_workspace()
    {
        var plain = Directory.CreateDirectory(_temp.Combine("plain")).FullName;
        Assert.Null(WorkspaceLocator.FindWorkspaceRoot(plain));
    }
}
