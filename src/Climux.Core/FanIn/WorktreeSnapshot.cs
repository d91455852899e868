using CliWrap;
using CliWrap.Buffered;
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
    /// <param name="git">The git executable, when installed: its status is much cheaper than libgit2's on large folders.</param>
    public static Commit? Take(Repository worktree, Func<string, bool> isCopied, string? git = null)
    {
        if (worktree.Head.Tip is not { } head)
            return null;
        var changed = (git is null ? null : GitStatusPaths(git, worktree.Info.WorkingDirectory, isCopied)) ?? ChangedPaths(worktree, head, isCopied);
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

    /// <summary>
    /// The paths where the index or the working folder differs from HEAD, from
    /// <c>git --no-optional-locks status</c> (which uses the index's stat data and cache tree, reads
    /// the folder on several threads, and writes nothing); null when git fails, to fall back on libgit2.
    /// </summary>
    private static List<string>? GitStatusPaths(string git, string folder, Func<string, bool> isCopied)
    {
        var run = Cli.Wrap(git)
            .WithArguments(["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--ignore-submodules=all"])
            .WithWorkingDirectory(folder)
            .WithStandardInputPipe(PipeSource.Null)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().GetAwaiter().GetResult();
        if (run.ExitCode != 0)
            return null;
        // Entries "XY path", each ended by NUL; "??" is an untracked file.
        var paths = new List<string>();
        foreach (var entry in run.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.Length < 4)
                continue;
            var path = entry[3..];
            if (path.EndsWith('/') || entry.StartsWith("??", StringComparison.Ordinal) && isCopied(path))
                continue;
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>
    /// The paths where the index or the working folder differs from HEAD. Staged changes come from
    /// comparing the index's tree (kept in the index's cache) with HEAD's, which is much cheaper than
    /// libgit2's HEAD-to-index status; the working folder still needs its status (a stat per file).
    /// </summary>
    private static List<string> ChangedPaths(Repository worktree, Commit head, Func<string, bool> isCopied)
    {
        var options = new StatusOptions
        {
            Show = StatusShowOption.WorkDirOnly,
            IncludeUntracked = true,
            RecurseUntrackedDirs = true,
            IncludeIgnored = false,
            DetectRenamesInIndex = false,
            DetectRenamesInWorkDir = false,
            ExcludeSubmodules = true,
        };
        var staged = new List<string>();
        if (worktree.Index.IsFullyMerged)
        {
            var indexTree = worktree.ObjectDatabase.CreateTree(worktree.Index);
            if (indexTree.Id != head.Tree.Id)
                staged.AddRange(new TreeDelta(worktree).Compare(head.Tree, indexTree).Keys);
        }
        else
            options.Show = StatusShowOption.IndexAndWorkDir; // a merge in progress: the index has no single tree
        var working = worktree.RetrieveStatus(options)
            .Where(e => e.State is not (FileStatus.Ignored or FileStatus.Unaltered) && !e.FilePath.EndsWith('/'))
            .Where(e => !(e.State == FileStatus.NewInWorkdir && isCopied(e.FilePath)))
            .Select(e => e.FilePath);
        return [.. staged.Union(working, StringComparer.Ordinal)];
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
