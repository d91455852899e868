using LibGit2Sharp;

namespace Climux.Core.FanIn;

/// <summary>
/// A worktree's state as a commit: its HEAD when it has no uncommitted work, else a commit that no
/// branch points at, on top of HEAD, whose tree holds what <c>git add -A</c> would commit (staged
/// and unstaged edits, deletions, untracked files that are not ignored). Built with a tree builder:
/// the working folder, the index, HEAD and every ref stay as they are.
/// </summary>
internal static class WorktreeSnapshot
{
    /// <param name="isCopied">Untracked files Climux copied into the worktree (.env): left out, as they are not work.</param>
    /// <returns>Null for a repository without commits.</returns>
    public static Commit? Take(Repository worktree, Func<string, bool> isCopied)
    {
        if (worktree.Head.Tip is not { } head)
            return null;
        var status = worktree.RetrieveStatus(new StatusOptions
        {
            IncludeUntracked = true,
            RecurseUntrackedDirs = true,
            DetectRenamesInIndex = false,
            DetectRenamesInWorkDir = false,
            ExcludeSubmodules = true,
        });
        var changed = status
            .Where(e => e.State is not (FileStatus.Ignored or FileStatus.Unaltered) && !e.FilePath.EndsWith('/'))
            .Where(e => !(e.State == FileStatus.NewInWorkdir && isCopied(e.FilePath)))
            .Select(e => e.FilePath)
            .ToList();
        if (changed.Count == 0)
            return head;

        var folder = worktree.Info.WorkingDirectory;
        var fileMode = worktree.Config.Get<bool>("core.fileMode")?.Value ?? !OperatingSystem.IsWindows();
        var definition = TreeDefinition.From(head.Tree);
        foreach (var path in changed)
        {
            var file = new FileInfo(Path.Combine(folder, path));
            if (file.LinkTarget is null && !file.Exists)
            {
                if (definition[path] is not null)
                    definition.Remove(path);
                continue;
            }
            // From the working folder, through the repository's filters (line endings), as git add would.
            var blob = worktree.ObjectDatabase.CreateBlob(path);
            definition.Add(path, blob, ModeOf(file, fileMode, worktree.Index[path]?.Mode ?? head.Tree[path]?.Mode));
        }
        var tree = worktree.ObjectDatabase.CreateTree(definition);
        if (tree.Id == head.Tree.Id)
            return head;
        return new TreeDelta(worktree).Commit(tree, "Uncommitted work (Climux snapshot)", head);
    }

    private static Mode ModeOf(FileInfo file, bool fileMode, Mode? known)
    {
        if (file.LinkTarget is not null)
            return Mode.SymbolicLink;
        if (!fileMode || OperatingSystem.IsWindows())
            return known is Mode.ExecutableFile ? Mode.ExecutableFile : Mode.NonExecutableFile;
        return (file.UnixFileMode & UnixFileMode.UserExecute) != 0 ? Mode.ExecutableFile : Mode.NonExecutableFile;
    }
}
