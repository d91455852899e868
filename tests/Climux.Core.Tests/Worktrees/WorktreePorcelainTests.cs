using Climux.Core.Worktrees;

namespace Climux.Core.Tests.Worktrees;

public sealed class WorktreePorcelainTests
{
    [Fact]
    public void Porcelain_entries_skip_the_old_path_of_a_rename_and_mark_untracked_files()
    {
        var output = " M src/a.cs\0R  new name.cs\0old name.cs\0?? .env\0?? build/\0";
        Assert.Equal(
            [("src/a.cs", false), ("new name.cs", false), (".env", true), ("build/", true)],
            WorktreeManager.PorcelainEntries(output).ToList());
        Assert.Empty(WorktreeManager.PorcelainEntries(""));
    }
}
