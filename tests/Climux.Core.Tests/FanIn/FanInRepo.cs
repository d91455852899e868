using Climux.Core.Engine;
using Climux.Core.Config;
using Climux.Core.Tests.Support;
using Climux.Core.Worktrees;

namespace Climux.Core.Tests.FanIn;

/// <summary>A temporary repository on main with Climux worktrees, and the git command line to shape them.</summary>
internal sealed class FanInRepo : IDisposable
{
    private readonly TempFolder _temp = new("climux-fanin");
    private readonly ClimuxEngine _engine;

    public FanInRepo(ClimuxConfig? config = null)
    {
        Main = TestGit.InitRepo(_temp.Combine("repo"));
        _engine = ClimuxEngine.Open(_temp.Home());
        Worktrees = _engine.Worktrees(Main, config ?? new ClimuxConfig());
    }

    public string Main { get; }
    public WorktreeManager Worktrees { get; }
    public ClimuxEngine Engine => _engine;
    public string Temp => _temp.Path;

    public string Git(string folder, params string[] arguments) => TestGit.Run(folder, arguments);

    /// <summary>Makes a worktree (branch of the same name, from main's tip) and returns its folder.</summary>
    public string NewWorktree(string name) => Worktrees.Create(name).Path;

    public string PathOf(string name) => Worktrees.PathOf(name) ?? Main;

    /// <summary>Writes (or, for null, deletes) files in a folder, without committing.</summary>
    public void Write(string folder, params (string Path, string? Text)[] files)
    {
        foreach (var (path, text) in files)
        {
            var file = Path.Combine(folder, path);
            if (text is null)
                File.Delete(file);
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, text);
            }
        }
    }

    public void WriteBytes(string folder, string path, int seed)
    {
        var bytes = new byte[3000];
        new Random(seed).NextBytes(bytes);
        bytes[10] = 0; // certainly binary
        File.WriteAllBytes(Path.Combine(folder, path), bytes);
    }

    /// <summary>Writes the files and commits everything in the folder.</summary>
    public string Commit(string folder, string message, params (string Path, string? Text)[] files)
    {
        Write(folder, files);
        Git(folder, "add", "-A");
        Git(folder, "commit", "-q", "-m", message);
        return Git(folder, "rev-parse", "HEAD");
    }

    /// <summary>Twenty numbered lines, with some replaced: line number to text.</summary>
    public static string Lines(string prefix, params (int Line, string Text)[] changes) =>
        string.Concat(Enumerable.Range(1, 20).Select(i => (changes.FirstOrDefault(c => c.Line == i).Text ?? $"{prefix} {i}") + "\n"));

    /// <summary>What <c>git add -A</c> would commit in the folder, as a commit on top of HEAD, made by git with a temporary index.</summary>
    public string GitSnapshot(string folder)
    {
        var index = Path.Combine(Temp, $"index-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
        TestGit.Run(folder, environment, "read-tree", "HEAD");
        TestGit.Run(folder, environment, "add", "-A");
        var tree = TestGit.Run(folder, environment, "write-tree");
        File.Delete(index);
        return tree == Git(folder, "rev-parse", "HEAD^{tree}") ? Git(folder, "rev-parse", "HEAD") : Git(folder, "commit-tree", tree, "-p", "HEAD", "-m", "snapshot");
    }

    /// <summary>
    /// Everything git-side that Climux must not touch while predicting: refs, HEADs, indexes (their
    /// very bytes, or with <paramref name="exact"/> false their entries) and statuses of every worktree.
    /// </summary>
    public string Fingerprint(bool exact = true)
    {
        var parts = new List<string> { Git(Main, "for-each-ref", "--format=%(refname) %(objectname)") };
        foreach (var folder in new[] { Main }.Concat(Worktrees.Locate(_ => true).Where(w => !w.IsMain).Select(w => w.Path)))
        {
            var gitDir = Git(folder, "rev-parse", "--absolute-git-dir");
            var index = Path.Combine(gitDir, "index");
            parts.Add($"{folder} {Git(folder, "rev-parse", "HEAD")}");
            parts.Add(exact
                ? $"{File.GetLastWriteTimeUtc(index).Ticks} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(index)))}"
                : Git(folder, "ls-files", "--stage"));
            parts.Add(Git(folder, "--no-optional-locks", "status", "--porcelain", "--untracked-files=all"));
            parts.Add(File.Exists(Path.Combine(gitDir, "MERGE_HEAD")) ? "merging" : "");
        }
        return string.Join("\n", parts);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _engine.Dispose();
        _temp.Dispose();
    }
}
