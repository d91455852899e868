using System.Security.Cryptography;
using System.Text;
using Climux.Core.Config;
using Climux.Core.Paths;
using Climux.Core.Platform;
using Climux.Core.Providers;
using Climux.Core.Sessions;
using Climux.Core.Store;
using CliWrap;
using CliWrap.Buffered;
using LibGit2Sharp;

namespace Climux.Core.Worktrees;

/// <summary>
/// Creates, lists and removes the worktrees of one repository with libgit2. Climux's worktrees
/// live under <c>worktrees.root</c> (default <c>$CLIMUX_HOME/worktrees</c>), in a folder per
/// repository named after it and a hash of its path, so they never show in the repository's own
/// status and never collide between repositories.
/// </summary>
public sealed class WorktreeManager
{
    public static readonly IReadOnlyList<string> NamingConventions = ["feature-", "bugfix-", "refactor-", "experiment-", "hotfix-"];

    /// <summary>
    /// Longest worktree name, in characters (and twice that in bytes of UTF-8): it becomes a folder,
    /// a branch (a file under .git/refs) and git's admin folder, so it must stay well under a file
    /// name's 255 bytes and leave room in the path for the files of the worktree.
    /// </summary>
    public const int MaxNameLength = 100;

    /// <summary>Names git gives a meaning of its own (refs it writes in .git), refused whatever their case.</summary>
    private static readonly string[] ReservedNames =
        ["@", "HEAD", "FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_HEAD", "REBASE_HEAD", "AUTO_MERGE", "MERGE_AUTOSTASH"];

    private readonly ClimuxHome _home;
    private readonly ClimuxConfig _config;
    private readonly IClimuxStore _store;

    /// <param name="workspaceRoot">The repository's main worktree (see WorkspaceLocator).</param>
    /// <param name="store">Where Climux records its worktrees and counts their sessions.</param>
    public WorktreeManager(ClimuxHome home, ClimuxConfig config, string workspaceRoot, IClimuxStore store)
    {
        _home = home;
        _config = config;
        Workspace = workspaceRoot;
        _store = store;
    }

    public string Workspace { get; }

    /// <summary>The folder that holds this repository's Climux worktrees.</summary>
    public string RepositoryFolder
    {
        get
        {
            var root = _config.Worktrees.Root is { Length: > 0 } configured
                ? ExpandHome(configured) is var expanded && Path.IsPathRooted(expanded) ? expanded : Path.Combine(Workspace, expanded)
                : Path.Combine(_home.Root, "worktrees");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Workspace)))[..8];
            return Path.GetFullPath(Path.Combine(root, $"{Path.GetFileName(Workspace)}-{hash}"));
        }
    }

    /// <summary>Warnings about a name that is allowed but unusual; throws for a name that is not allowed.</summary>
    public IReadOnlyList<string> CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new WorktreeException(WorktreeProblem.InvalidName, "A worktree needs a name.");
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.Contains("..", StringComparison.Ordinal) || name.StartsWith('.') || name.StartsWith('-') ||
            !Reference.IsValidName("refs/heads/" + name) || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new WorktreeException(WorktreeProblem.InvalidName,
                $"'{name}' cannot name a worktree: use letters, digits, '-', '_' and '.', with no path separators, '..', spaces or characters git refuses in branch names (~^:?*[\\).");
        CheckReserved(name, "name a worktree");
        if (_config.Worktrees.EnforceNaming && !NamingConventions.Any(p => name.StartsWith(p, StringComparison.Ordinal) && name.Length > p.Length))
            return [$"'{name}' does not follow the naming conventions ({string.Join(", ", NamingConventions.Select(p => p + "*"))})."];
        return [];
    }

    /// <summary>Refuses a name git reserves (HEAD, FETCH_HEAD, …), one ending in .lock, and one longer than <see cref="MaxNameLength"/>.</summary>
    private static void CheckReserved(string name, string use)
    {
        var problem = ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase) || name.EndsWith(".lock", StringComparison.OrdinalIgnoreCase)
            ? $"git reserves '{name}' for itself (HEAD, FETCH_HEAD, ORIG_HEAD, MERGE_HEAD and the like, @, and names ending in .lock)"
            : name.Length > MaxNameLength || Encoding.UTF8.GetByteCount(name) > 2 * MaxNameLength
                ? $"'{name[..20]}…' is {name.Length} characters long; a name has at most {MaxNameLength} characters (and {2 * MaxNameLength} bytes of UTF-8), so its paths stay within every file system's limits"
                : null;
        if (problem is not null)
            throw new WorktreeException(WorktreeProblem.InvalidName, $"Cannot {use} so: {problem}.");
    }

    /// <summary>
    /// Creates worktree <paramref name="name"/> on branch <paramref name="branch"/> (default: the
    /// name), which is made at <paramref name="baseRef"/> (default: the default branch's tip) unless
    /// it exists already; then copies the files of <c>worktrees.copy</c> and <c>.worktreeinclude</c>.
    /// </summary>
    /// <param name="warn">Told about each copy entry that was refused (one outside the repository).</param>
    public ClimuxWorktree Create(string name, string? branch = null, string? baseRef = null, bool requireCleanBase = false, Action<string>? warn = null)
    {
        CheckName(name);
        branch ??= name;
        if (!Reference.IsValidName("refs/heads/" + branch) || branch.StartsWith('-'))
            throw new WorktreeException(WorktreeProblem.InvalidName, $"'{branch}' is not a valid branch name.");
        CheckReserved(branch, "name a branch");

        using var repository = new Repository(Workspace);
        if (repository.Worktrees.Any(w => w.Name == name) || Find(name) is not null)
            throw new WorktreeException(WorktreeProblem.Exists, $"The worktree '{name}' already exists. See it with: Get-ClimuxWorktree {name}");
        var path = Path.Combine(RepositoryFolder, name);
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new WorktreeException(WorktreeProblem.Exists, $"The folder '{path}' already exists and is not empty.");
        if (requireCleanBase && repository.RetrieveStatus(new StatusOptions { IncludeUntracked = false }).IsDirty)
            throw new WorktreeException(WorktreeProblem.DirtyBase,
                $"'{Workspace}' has uncommitted changes, and -Clean asks for a clean start: commit or stash them first (the new worktree would not have them).");

        var (baseName, baseCommit) = ResolveBase(repository, baseRef);
        var existing = repository.Branches[branch];
        if (existing is not null)
        {
            if (baseRef is not null && existing.Tip.Sha != baseCommit.Sha)
                throw new WorktreeException(WorktreeProblem.BranchExists,
                    $"The branch '{branch}' already exists (at {existing.Tip.Sha[..7]}); leave out -Base to work on it, or choose another -Branch.");
            if (CheckedOutBranches(repository).Contains(existing.CanonicalName))
                throw new WorktreeException(WorktreeProblem.BranchCheckedOut, $"The branch '{branch}' is already checked out in another worktree.");
        }

        OwnerOnly.EnsureDirectory(RepositoryFolder);
        ExcludeFromStatus(repository);
        // libgit2 makes a new branch named after the worktree's admin entry; when that name is taken
        // by an existing branch, the admin entry gets a free name and the extra branch goes again.
        var admin = FreeAdminName(repository, name);
        repository.Worktrees.Add(admin, path, isLocked: false);
        using (var worktree = new Repository(path))
        {
            if (admin == branch)
            {
                if (worktree.Head.Tip.Sha != baseCommit.Sha)
                    worktree.Reset(ResetMode.Hard, baseCommit);
            }
            else
            {
                var target = worktree.Branches[branch] ?? worktree.CreateBranch(branch, baseCommit);
                Commands.Checkout(worktree, target);
                worktree.Branches.Remove(admin);
            }
        }

        CopyIncludedFiles(repository, path, warn);
        _store.SaveWorktree(new WorktreeRecord(Workspace, name, path, branch, baseName, baseCommit.Sha, DateTimeOffset.UtcNow));
        // Just checked out, so clean: a status of the new files would hash every one of them (their
        // times equal the index's, which git calls racily clean), more than the checkout itself costs.
        return List(n => n == name, checkedOutJustNow: true).Single();
    }

    /// <summary>
    /// Creates worktree <paramref name="name"/> as the <c>climux worktree create --branch</c> documentation
    /// uses it: a <paramref name="branch"/> that does not exist is made at the base; one checked out
    /// nowhere is used; one checked out in another worktree (such as <c>--branch main</c>) becomes the
    /// base of a new branch named after the worktree, and <see cref="WorktreeCreation.Note"/> says so.
    /// </summary>
    public WorktreeCreation CreateFromBranchOrBase(string name, string? branch, string? baseRef, bool requireCleanBase = false, Action<string>? warn = null)
    {
        if (branch is not null && branch != name && baseRef is null && IsCheckedOutElsewhere(branch))
        {
            var worktree = Create(name, name, branch, requireCleanBase, warn);
            return new WorktreeCreation(worktree,
                $"The branch '{branch}' is checked out in another worktree, so '{name}' is on a new branch '{name}' made from '{branch}'.");
        }
        return new WorktreeCreation(Create(name, branch, baseRef, requireCleanBase, warn), null);
    }

    private bool IsCheckedOutElsewhere(string branch)
    {
        using var repository = new Repository(Workspace);
        return repository.Branches[branch] is { IsRemote: false } existing && CheckedOutBranches(repository).Contains(existing.CanonicalName);
    }

    /// <summary>Every worktree of the repository, the main one first, with its state and sessions.</summary>
    public IReadOnlyList<ClimuxWorktree> List() => List(_ => true);

    /// <summary>One worktree by name, with its state and sessions; null if none.</summary>
    public ClimuxWorktree? Find(string name) => List(n => n == name).FirstOrDefault();

    /// <summary>
    /// A worktree by name, or the main worktree by its branch's name (what a user may well type for
    /// it), so removing it is refused as the main worktree rather than reported missing; null if none.
    /// </summary>
    public ClimuxWorktree? FindForRemoval(string name) =>
        Find(name) ?? (List(n => n == Path.GetFileName(Workspace)).FirstOrDefault() is { IsMain: true } main && main.Branch == name ? main : null);

    /// <summary>The worktrees whose names pass <paramref name="wanted"/>; only those have their state read.</summary>
    public IReadOnlyList<ClimuxWorktree> List(Func<string, bool> wanted) => List(wanted, checkedOutJustNow: false);

    private List<ClimuxWorktree> List(Func<string, bool> wanted, bool checkedOutJustNow)
    {
        var locations = Locate(wanted);
        var sessions = _store.SessionCountsByDirectory(Workspace);
        // Each worktree is read on its own (a status of a big tree is mostly waiting on the file system).
        return [.. locations.AsParallel().AsOrdered().WithDegreeOfParallelism(Math.Max(2, Environment.ProcessorCount)).Select(location =>
        {
            using var repository = new Repository(location.Path);
            return Describe(repository, location, sessions, checkedOutJustNow);
        })];
    }

    /// <summary>
    /// Where the worktrees whose names pass <paramref name="wanted"/> are and what they were made
    /// from, the main one first, without reading their state.
    /// </summary>
    public IReadOnlyList<WorktreeLocation> Locate(Func<string, bool> wanted)
    {
        using var repository = new Repository(Workspace);
        var registered = _store.Worktrees(Workspace).ToDictionary(r => Normalize(r.Path), StringComparer.Ordinal);
        var (defaultBase, _) = ResolveBase(repository, null);
        var list = new List<WorktreeLocation>();
        if (wanted(Path.GetFileName(Workspace)))
            list.Add(new WorktreeLocation(Path.GetFileName(Workspace), Workspace, IsMain: true, Base: null, BaseCommit: null, Record: null, Locked: false));
        foreach (var worktree in repository.Worktrees)
        {
            using var linked = worktree.WorktreeRepository;
            var path = Normalize(linked.Info.WorkingDirectory);
            registered.TryGetValue(path, out var record);
            var name = record?.Name ?? worktree.Name;
            if (wanted(name))
                list.Add(new WorktreeLocation(name, path, IsMain: false, record?.BaseRef ?? defaultBase, record?.BaseCommit, record, worktree.IsLocked));
        }
        return [.. list.OrderBy(w => !w.IsMain).ThenBy(w => w.Name, StringComparer.Ordinal)];
    }

    /// <summary>The names of the repository's worktrees (not the main one), without reading their state: for tab completion.</summary>
    public IReadOnlyList<string> Names()
    {
        var registered = _store.Worktrees(Workspace).ToDictionary(r => Normalize(r.Path), r => r.Name, StringComparer.Ordinal);
        using var repository = new Repository(Workspace);
        return repository.Worktrees.Select(w =>
        {
            using var linked = w.WorktreeRepository;
            return registered.GetValueOrDefault(Normalize(linked.Info.WorkingDirectory)) ?? w.Name;
        }).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The folder of worktree <paramref name="name"/> (Climux's name, git's, or its folder's), without reading its state; null if none.</summary>
    public string? PathOf(string name)
    {
        if (_store.Worktrees(Workspace).FirstOrDefault(r => r.Name == name) is { } record && Directory.Exists(record.Path))
            return record.Path;
        using var repository = new Repository(Workspace);
        foreach (var worktree in repository.Worktrees)
        {
            using var linked = worktree.WorktreeRepository;
            var path = Normalize(linked.Info.WorkingDirectory);
            if (worktree.Name == name || Path.GetFileName(path) == name)
                return path;
        }
        return null;
    }

    /// <summary>
    /// Removes a worktree (its folder and git's record of it). Refuses the main worktree always,
    /// and without <paramref name="force"/> one with uncommitted changes, commits that are in
    /// neither its base nor its upstream, or an active session.
    /// </summary>
    public void Remove(ClimuxWorktree worktree, bool force, bool deleteBranch)
    {
        CheckRemovable(worktree, force);
        using var repository = new Repository(Workspace);
        var entry = repository.Worktrees.FirstOrDefault(w =>
        {
            using var linked = w.WorktreeRepository;
            return Normalize(linked.Info.WorkingDirectory) == worktree.Path;
        });
        if (entry is not null)
            repository.Worktrees.Prune(entry, ifLocked: true);
        if (Directory.Exists(worktree.Path))
            Directory.Delete(worktree.Path, recursive: true);
        if (deleteBranch && worktree.Branch is { } branch && repository.Branches[branch] is { } local)
        {
            repository.Branches.Remove(local);
            FanIn.MergeRecords.Forget(repository, branch);
        }
        _store.RemoveWorktree(Workspace, worktree.Path);
    }

    /// <summary>Throws the reason <see cref="Remove"/> would refuse, if any.</summary>
    public static void CheckRemovable(ClimuxWorktree worktree, bool force)
    {
        if (worktree.IsMain)
            throw new WorktreeException(WorktreeProblem.IsMain, $"'{worktree.Name}' is the repository's main worktree; Climux never removes it.");
        if (force)
            return;
        if (worktree.Locked)
            throw new WorktreeException(WorktreeProblem.Locked, $"'{worktree.Name}' is locked (git worktree lock); unlock it, or use -Force.");
        if (worktree.ActiveSessions > 0)
            throw new WorktreeException(WorktreeProblem.Active, $"'{worktree.Name}' has {worktree.ActiveSessions} active session(s); stop them first, or use -Force.");
        if (worktree.Dirty)
            throw new WorktreeException(WorktreeProblem.Dirty, $"'{worktree.Name}' has uncommitted changes; commit them, or use -Force to lose them.");
        if (worktree.Unmerged)
            throw new WorktreeException(WorktreeProblem.Unmerged,
                $"'{worktree.Name}' has {worktree.Ahead} commit(s) in neither its base ({worktree.Base}) nor an upstream; merge or push them, or use -Force.");
    }

    private ClimuxWorktree Describe(Repository repository, WorktreeLocation location, IReadOnlyDictionary<string, WorktreeSessionCount> sessions, bool clean)
    {
        var (name, path, isMain, baseName, record, locked) = (location.Name, location.Path, location.IsMain, location.Base, location.Record, location.Locked);
        var head = repository.Head;
        var tip = head.Tip;
        var dirty = !clean && HasUncommittedWork(repository, path);

        int? ahead = null, behind = null, changedFiles = null;
        var unmerged = false;
        if (!isMain && tip is not null && baseName is not null && repository.Lookup<Commit>(baseName) is { } baseTip)
        {
            var divergence = repository.ObjectDatabase.CalculateHistoryDivergence(tip, baseTip);
            (ahead, behind) = (divergence.AheadBy, divergence.BehindBy);
            unmerged = ahead > 0 && !(head.TrackedBranch?.Tip is { } upstream &&
                repository.ObjectDatabase.CalculateHistoryDivergence(tip, upstream).AheadBy == 0) &&
                !FanIn.MergeRecords.Covers(repository, repository.Info.IsHeadDetached ? null : head.FriendlyName, tip);
            changedFiles = FanIn.WorktreeChanges.Count(repository, divergence.CommonAncestor ?? baseTip, dirty ? FanIn.WorktreeSnapshot.Take(repository, IsCopied) : tip);
        }
        sessions.TryGetValue(path, out var count);
        var lastActivity = new[] { count?.LastActivity, tip?.Committer.When, record?.CreatedAt }.Where(t => t is not null).Max();
        return new ClimuxWorktree
        {
            Name = name,
            Path = path,
            Workspace = Workspace,
            Branch = repository.Info.IsHeadDetached ? null : head.FriendlyName,
            Head = tip?.Sha[..7],
            IsMain = isMain,
            Managed = record is not null,
            Locked = locked,
            Dirty = dirty,
            Base = isMain ? null : baseName,
            BaseBranch = isMain ? null : BranchNamed(repository, baseName),
            Ahead = isMain ? null : ahead,
            Behind = isMain ? null : behind,
            Unmerged = !isMain && unmerged,
            ChangedFiles = changedFiles,
            ActiveSessions = count?.Active ?? 0,
            TotalSessions = count?.Total ?? 0,
            LastActivity = lastActivity,
        };
    }

    /// <summary>
    /// Uncommitted changes or untracked files in the worktree at <paramref name="path"/>, other than the
    /// files Climux copies into new worktrees. Asks the user's git when it is installed: it reads a big
    /// tree several times faster than libgit2 (file times on several threads, no hashing of files
    /// checked out in the second the index was written). Without optional locks, so an agent's git in
    /// that worktree never finds the index locked.
    /// </summary>
    private bool HasUncommittedWork(Repository repository, string path)
    {
        if (CommandResolver.Resolve("git") is { } git)
        {
            var result = Cli.Wrap(git)
                .WithArguments(["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=normal"])
                .WithWorkingDirectory(path)
                .WithStandardInputPipe(PipeSource.Null)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync().Task.GetAwaiter().GetResult();
            if (result.ExitCode == 0)
                return PorcelainEntries(result.StandardOutput).Any(e => !(e.Untracked && IsCopied(e.Path)));
        }
        return HasUncommittedWork(repository.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = false }), IsCopied);
    }

    /// <summary>The entries of <c>git status --porcelain=v1 -z</c>: a rename or copy is followed by its old path, which is skipped.</summary>
    internal static IEnumerable<(string Path, bool Untracked)> PorcelainEntries(string output)
    {
        var fields = output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            if (field.Length < 4)
                continue;
            yield return (field[3..], field.StartsWith("??", StringComparison.Ordinal));
            if (field[0] is 'R' or 'C')
                i++;
        }
    }

    /// <summary>Uncommitted changes or untracked files, other than the files Climux copies into new worktrees.</summary>
    internal static bool HasUncommittedWork(RepositoryStatus status, Func<string, bool> isCopied) =>
        status.Any(e => e.State != FileStatus.Ignored && e.State != FileStatus.Unaltered && !(e.State == FileStatus.NewInWorkdir && isCopied(e.FilePath)));

    /// <summary><paramref name="reference"/> when it names a local or remote-tracking branch; null for a tag, a commit or nothing.</summary>
    internal static string? BranchNamed(Repository repository, string? reference) =>
        reference is not null && repository.Branches[reference] is { } branch ? branch.FriendlyName : null;

    /// <summary>The base as asked for, else the default branch (origin's HEAD, then main or master, then HEAD).</summary>
    private static (string Name, Commit Commit) ResolveBase(Repository repository, string? baseRef)
    {
        if (baseRef is not null)
        {
            var commit = repository.Lookup<Commit>(baseRef)
                ?? throw new WorktreeException(WorktreeProblem.BaseNotFound, $"No commit, branch or tag '{baseRef}' in this repository.");
            return (baseRef, commit);
        }
        if (repository.Refs["refs/remotes/origin/HEAD"] is SymbolicReference { Target: { } originHead })
        {
            var local = originHead.CanonicalName["refs/remotes/origin/".Length..];
            if (repository.Branches[local]?.Tip is { } localTip)
                return (local, localTip);
            if (originHead.ResolveToDirectReference()?.Target is Commit remoteTip)
                return ("origin/" + local, remoteTip);
        }
        foreach (var candidate in new[] { repository.Config.Get<string>("init.defaultBranch")?.Value, "main", "master" })
            if (candidate is not null && repository.Branches[candidate]?.Tip is { } tip)
                return (candidate, tip);
        var head = repository.Head.Tip ?? throw new WorktreeException(WorktreeProblem.BaseNotFound, "The repository has no commits yet: commit something first.");
        return (repository.Head.FriendlyName, head);
    }

    private static HashSet<string> CheckedOutBranches(Repository repository)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!repository.Info.IsHeadDetached)
            names.Add(repository.Head.CanonicalName);
        foreach (var worktree in repository.Worktrees)
        {
            using var linked = worktree.WorktreeRepository;
            if (!linked.Info.IsHeadDetached)
                names.Add(linked.Head.CanonicalName);
        }
        return names;
    }

    private static string FreeAdminName(Repository repository, string name)
    {
        var candidate = name;
        for (var i = 2; repository.Branches[candidate] is not null || repository.Worktrees.Any(w => w.Name == candidate); i++)
            candidate = $"{name}-{i}";
        return candidate;
    }

    /// <summary>A worktree root inside the repository goes into .git/info/exclude, so it never shows in its status.</summary>
    private void ExcludeFromStatus(Repository repository)
    {
        var relative = Path.GetRelativePath(Workspace, RepositoryFolder);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            return;
        var exclude = Path.Combine(repository.Info.Path, "info", "exclude");
        var line = "/" + relative.Split(Path.DirectorySeparatorChar)[0].Replace('\\', '/') + "/";
        var existing = File.Exists(exclude) ? File.ReadAllLines(exclude) : [];
        if (existing.Contains(line))
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(exclude)!);
        File.AppendAllLines(exclude, ["# Climux worktrees", line]);
    }

    private IReadOnlyList<string>? _copyPatterns;
    private MAB.DotIgnore.IgnoreList? _copyMatcher;

    /// <summary>What new worktrees get copied: <c>worktrees.copy</c> and <c>.worktreeinclude</c>, in gitignore syntax.</summary>
    private IReadOnlyList<string> CopyPatterns()
    {
        if (_copyPatterns is null)
        {
            var patterns = _config.Worktrees.Copy.ToList();
            var include = Path.Combine(Workspace, ".worktreeinclude");
            if (File.Exists(include))
                patterns.AddRange(File.ReadAllLines(include).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
            _copyPatterns = patterns;
        }
        return _copyPatterns;
    }

    /// <summary>A file Climux copies into new worktrees: its being untracked there makes no worktree dirty.</summary>
    internal bool IsCopied(string relativePath)
    {
        if (CopyPatterns().Count == 0)
            return false;
        _copyMatcher ??= new MAB.DotIgnore.IgnoreList(CopyPatterns());
        return _copyMatcher.IsIgnored(relativePath.TrimEnd('/'), pathIsDirectory: relativePath.EndsWith('/'));
    }

    /// <summary>
    /// Copies untracked or ignored files of the main worktree that <c>worktrees.copy</c> or
    /// <c>.worktreeinclude</c> (gitignore syntax) name, such as <c>.env</c>: git does not carry them.
    /// Only files inside the repository, symbolic links followed, and outside its .git folder: any
    /// other entry (<c>../secret</c>, an absolute path, a link that leads out) is refused with a warning.
    /// </summary>
    private void CopyIncludedFiles(Repository repository, string target, Action<string>? warn)
    {
        var patterns = CopyPatterns();
        if (patterns.Count == 0)
            return;

        IEnumerable<string> candidates;
        if (patterns.All(p => p.IndexOfAny(['*', '?', '[', '!']) < 0))
            candidates = patterns.Select(p => p.Replace('\\', '/').Trim('/'));   // plain paths: no need to walk the tree
        else
        {
            candidates = repository.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true, IncludeIgnored = true, RecurseIgnoredDirs = true })
                .Where(e => e.State is FileStatus.NewInWorkdir or FileStatus.Ignored)
                .Select(e => e.FilePath)
                .Where(IsCopied);
        }
        foreach (var relative in candidates.Distinct())
        {
            var source = Path.Combine(Workspace, relative);
            var destination = Path.Combine(target, relative);
            if (!MayCopy(relative, target, warn))
                continue;
            if (File.Exists(source) && !File.Exists(destination))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(source, destination);
            }
            else if (Directory.Exists(source) && !Directory.Exists(destination))
                CopyDirectory(relative, target, warn);
        }
    }

    /// <summary>
    /// Copies a folder entry by entry, each checked as an entry of its own (a link inside may lead
    /// out); links to folders inside it are not followed (they could loop).
    /// </summary>
    private void CopyDirectory(string relative, string target, Action<string>? warn)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine(Workspace, relative)))
        {
            var child = Path.GetRelativePath(Workspace, entry);
            if (!MayCopy(child, target, warn))
                continue;
            if (Directory.Exists(entry))
            {
                if (new FileInfo(entry).LinkTarget is null)
                    CopyDirectory(child, target, warn);
            }
            else if (!File.Exists(Path.Combine(target, child)))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, child))!);
                File.Copy(entry, Path.Combine(target, child));
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="relative"/> (an entry of worktrees.copy or .worktreeinclude) names
    /// something inside the repository, links followed, outside .git, and lands inside the new
    /// worktree; if not, says so through <paramref name="warn"/>.
    /// </summary>
    private bool MayCopy(string relative, string target, Action<string>? warn)
    {
        var source = Path.Combine(Workspace, relative);
        var problem = Path.IsPathRooted(relative) || !IsInsideWorkspace(source) ? "is outside the repository (symbolic links followed)"
            : Path.GetRelativePath(Workspace, Path.GetFullPath(source)).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0] == ".git"
                ? "is inside the repository's .git folder"
            : !RealPath.IsInside(Path.Combine(target, relative), target) ? "would be written outside the new worktree"
            : null;
        if (problem is null)
            return true;
        warn?.Invoke($"Not copied into the new worktree: '{relative}' (worktrees.copy or .worktreeinclude) {problem}.");
        return false;
    }

    private bool IsInsideWorkspace(string path) => RealPath.IsInside(path, Workspace);

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : path;

    private static string Normalize(string path) => Path.GetFullPath(path).TrimEnd('/', '\\');
}

/// <summary>A worktree just made, and what became of the branch asked for when it was not used as it is.</summary>
public sealed record WorktreeCreation(ClimuxWorktree Worktree, string? Note);

public enum WorktreeProblem
{
    InvalidName,
    Exists,
    BaseNotFound,
    DirtyBase,
    BranchExists,
    BranchCheckedOut,
    IsMain,
    Dirty,
    Unmerged,
    Active,
    Locked,
}

/// <summary>A worktree rule was broken; <see cref="Problem"/> says which.</summary>
public sealed class WorktreeException(WorktreeProblem problem, string message) : Exception(message)
{
    public WorktreeProblem Problem { get; } = problem;
}
