using System.Text;
using Climux.Core.Sessions;
using Climux.Core.Worktrees;
using LibGit2Sharp;

namespace Climux.Core.FanIn;

public sealed class MergeQueueOptions
{
    /// <summary>A command run through the platform's shell in the target after each merge; a non-zero exit undoes the merge.</summary>
    public string? Test { get; init; }
    public TimeSpan TestTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>One ordinary commit per worktree instead of a merge commit or a fast-forward.</summary>
    public bool Squash { get; init; }
    /// <summary>Settles conflicts; without one a conflict leaves the target as it was.</summary>
    public IConflictResolver? Resolver { get; init; }
    /// <summary>The sessions run in a worktree, by name (for messages and prompts): the caller reads them from the store.</summary>
    public Func<string, IReadOnlyList<ClimuxSession>> SessionsOf { get; init; } = _ => [];
}

/// <summary>What merging one worktree into the target is predicted to do (as for -WhatIf).</summary>
public sealed class MergePlan
{
    public required string Worktree { get; init; }
    public required string Into { get; init; }
    /// <summary>UpToDate, FastForward, Merged or Conflicted.</summary>
    public required ClimuxMergeStatus Status { get; init; }
    public IReadOnlyList<PredictedConflict> Conflicts { get; init; } = [];
    internal Commit Source { get; init; } = null!;
    internal Commit Target { get; init; } = null!;
    internal Tree? Tree { get; init; }

    public override string ToString() => Status switch
    {
        ClimuxMergeStatus.UpToDate => "nothing to merge (up to date)",
        ClimuxMergeStatus.FastForward => "fast-forward",
        ClimuxMergeStatus.Merged => "merge cleanly",
        _ => "conflict in " + string.Join(", ", Conflicts.Select(c => $"{c.Path} ({c.Kind})")),
    };
}

/// <summary>
/// Merges worktrees, one at a time and in the order given, into a target worktree's branch: a
/// fast-forward when possible, else a merge commit naming the worktree and its sessions. The
/// target must be clean. A conflict leaves it exactly as it was (unless a resolver settles it); a
/// failing test command undoes the merge. Predictions come from the same in-memory merge as
/// Get-ClimuxConflict, and the merge commit's tree is the predicted one.
/// </summary>
public sealed class MergeQueue
{
    private readonly WorktreeManager _worktrees;
    private readonly ClimuxWorktree _target;
    private readonly MergeQueueOptions _options;
    private ObjectId? _assumed;

    public MergeQueue(WorktreeManager worktrees, ClimuxWorktree into, MergeQueueOptions options)
    {
        if (into.Branch is null)
            throw new FanInException(FanInProblem.Detached,
                $"'{into.Name}' has no branch checked out (detached HEAD at {into.Head}); check out a branch there first: git -C '{into.Path}' switch <branch>.");
        (_worktrees, _target, _options) = (worktrees, into, options);
    }

    /// <summary>Throws ClimuxWorktreeDirty's exception when the target has uncommitted changes or untracked files.</summary>
    public void EnsureClean()
    {
        using var repository = new Repository(_target.Path);
        EnsureClean(repository);
    }

    /// <summary>What merging <paramref name="source"/> would do now (after the merges <see cref="Assume"/> was told of).</summary>
    public MergePlan Plan(ClimuxWorktree source)
    {
        using var repository = new Repository(_target.Path);
        var head = _assumed is null ? repository.Head.Tip : repository.Lookup<Commit>(_assumed);
        return Plan(repository, head, source);
    }

    /// <summary>For -WhatIf: the plans that follow see this one as done.</summary>
    public void Assume(MergePlan plan)
    {
        if (plan.Status == ClimuxMergeStatus.FastForward)
            _assumed = plan.Source.Id;
        else if (plan.Status == ClimuxMergeStatus.Merged && plan.Tree is { } tree)
        {
            using var repository = new Repository(_target.Path);
            _assumed = new TreeDelta(repository).Commit(tree, "merge (Climux -WhatIf)", plan.Target, plan.Source).Id;
        }
    }

    /// <summary>Merges <paramref name="source"/> into the target and reports what happened.</summary>
    public async Task<ClimuxMergeResult> MergeAsync(ClimuxWorktree source, CancellationToken cancellation = default)
    {
        using var repository = new Repository(_target.Path);
        EnsureClean(repository);
        var before = repository.Head.Tip;
        var plan = Plan(repository, before, source);
        var untrackedBefore = Untracked(repository);
        switch (plan.Status)
        {
            case ClimuxMergeStatus.UpToDate:
                Record(repository, source, plan.Source);
                return Result(source, ClimuxMergeStatus.UpToDate, before, message: $"'{_target.Name}' already has every commit of '{source.Name}'.");
            case ClimuxMergeStatus.Conflicted when _options.Resolver is null:
                return Result(source, ClimuxMergeStatus.Conflicted, before, plan.Conflicts.Select(c => c.Path),
                    message: $"Merging would conflict; '{_target.Name}' was left as it was.");
            case ClimuxMergeStatus.Conflicted:
                return await ResolveAsync(repository, source, plan, untrackedBefore, cancellation).ConfigureAwait(false);
        }

        var after = plan.Status == ClimuxMergeStatus.FastForward
            ? plan.Source
            : Commit(repository, plan.Tree!, Message(source, plan.Source, null), _options.Squash ? [before] : [before, plan.Source]);
        repository.Reset(ResetMode.Hard, after);
        var (failed, testOutput) = await TestAsync(repository, source, before, untrackedBefore, null, cancellation).ConfigureAwait(false);
        if (failed is not null)
            return failed;
        Record(repository, source, plan.Source);
        return Result(source, plan.Status, after, testOutput: testOutput,
            message: plan.Status == ClimuxMergeStatus.FastForward ? $"'{_target.Branch}' fast-forwarded to '{source.Name}'." : $"Merged into '{_target.Branch}'.");
    }

    private MergePlan Plan(Repository repository, Commit head, ClimuxWorktree source)
    {
        var sourceCommit = SourceCommit(repository, source);
        var prediction = new MergePredictor(repository).Predict(head, sourceCommit, withTree: true);
        var status = prediction.Shape switch
        {
            MergeShape.UpToDate => ClimuxMergeStatus.UpToDate,
            MergeShape.FastForward when !_options.Squash => ClimuxMergeStatus.FastForward,
            _ => prediction.Conflicts.Count > 0 ? ClimuxMergeStatus.Conflicted : ClimuxMergeStatus.Merged,
        };
        return new MergePlan
        {
            Worktree = source.Name,
            Into = _target.Name,
            Status = status,
            Conflicts = prediction.Conflicts,
            Source = sourceCommit,
            Target = head,
            Tree = prediction.Tree,
        };
    }

    private static Commit SourceCommit(Repository repository, ClimuxWorktree source)
    {
        if (source.Branch is { } branch && repository.Branches[branch]?.Tip is { } tip)
            return tip;
        using var other = new Repository(source.Path);
        return repository.Lookup<Commit>(other.Head.Tip?.Id ?? throw new FanInException(FanInProblem.NothingToMerge, $"'{source.Name}' has no commits."));
    }

    private async Task<ClimuxMergeResult> ResolveAsync(Repository repository, ClimuxWorktree source, MergePlan plan, IReadOnlySet<string> untrackedBefore,
        CancellationToken cancellation)
    {
        var before = plan.Target;
        repository.Merge(plan.Source, Signature(repository),
            new MergeOptions { CommitOnSuccess = false, FastForwardStrategy = FastForwardStrategy.NoFastForward, FailOnConflict = false });
        var conflicts = plan.Conflicts.Select(c => c.Path)
            .Union(repository.Index.Conflicts.Select(c => (c.Ours ?? c.Theirs ?? c.Ancestor).Path), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToArray();

        var leftByMerge = conflicts.ToDictionary(path => path, path => Fingerprint(Path.Combine(_target.Path, path)), StringComparer.Ordinal);

        ConflictResolverOutcome outcome;
        try
        {
            outcome = await _options.Resolver!.ResolveAsync(new ConflictResolutionRequest(_target.Path, _target.Name, source.Name, source.Branch, conflicts,
                _options.SessionsOf(source.Name), _options.SessionsOf(_target.Name)) { IntoIsMain = _target.IsMain }, cancellation).ConfigureAwait(false);
        }
        catch
        {
            Undo(repository, before, untrackedBefore);
            throw;
        }

        ClimuxMergeResult Unresolved(string why)
        {
            Undo(repository, before, untrackedBefore);
            return Result(source, ClimuxMergeStatus.Conflicted, before, conflicts, sessionId: outcome.SessionId, message: why + $" The merge was undone; '{_target.Name}' is as it was.");
        }
        if (!outcome.Resolved)
            return Unresolved($"The conflicts were not resolved{(outcome.Message is { } reason ? $": {reason}." : ".")}");

        using var resolved = new Repository(_target.Path);
        // Agents in their safe write modes often cannot run git: a conflicted file the agent changed
        // (or deleted) counts as its resolution and is staged for it; one it left alone stays unmerged.
        foreach (var path in resolved.Index.Conflicts.Select(c => (c.Ours ?? c.Theirs ?? c.Ancestor).Path).Distinct().ToList())
            if (leftByMerge.TryGetValue(path, out var left) && Fingerprint(Path.Combine(_target.Path, path)) != left)
                Commands.Stage(resolved, path);
        if (resolved.Index.Conflicts.Select(c => (c.Ours ?? c.Theirs ?? c.Ancestor).Path).Distinct().ToList() is { Count: > 0 } unmerged)
            return Unresolved($"Unmerged index entries remain for {string.Join(", ", unmerged)}.");
        if (conflicts.Where(path => HasConflictMarkers(Path.Combine(_target.Path, path))).ToList() is { Count: > 0 } marked)
            return Unresolved($"Conflict markers remain in {string.Join(", ", marked)}.");
        Commands.Stage(resolved, "*");
        var tree = resolved.ObjectDatabase.CreateTree(resolved.Index);
        var commit = Commit(resolved, tree, Message(source, plan.Source, (conflicts, outcome.SessionId)), _options.Squash ? [before] : [before, plan.Source]);
        resolved.Reset(ResetMode.Hard, commit);
        var (failed, testOutput) = await TestAsync(resolved, source, before, untrackedBefore, outcome.SessionId, cancellation).ConfigureAwait(false);
        if (failed is not null)
            return failed;
        Record(resolved, source, plan.Source);
        return Result(source, ClimuxMergeStatus.Resolved, commit, conflicts, testOutput, outcome.SessionId, "The conflicts were resolved, checked and committed.");
    }

    /// <summary>Runs the test command, if any, and its output; when it fails, undoes the merge and returns the TestFailed result.</summary>
    private async Task<(ClimuxMergeResult? Failed, string? Output)> TestAsync(Repository repository, ClimuxWorktree source, Commit before,
        IReadOnlySet<string> untrackedBefore, string? sessionId, CancellationToken cancellation)
    {
        if (_options.Test is not { } command)
            return (null, null);
        TestRun run;
        try
        {
            run = await TestGate.RunAsync(command, _target.Path, _options.TestTimeout, cancellation).ConfigureAwait(false);
        }
        catch
        {
            Undo(repository, before, untrackedBefore);
            throw;
        }
        if (run.Passed)
            return (null, run.Output);
        Undo(repository, before, untrackedBefore);
        return (Result(source, ClimuxMergeStatus.TestFailed, before, testOutput: run.Output, sessionId: sessionId,
            message: (run.TimedOut ? $"The test command did not finish within {_options.TestTimeout.TotalSeconds:0.#} s" : $"The test command exited with code {run.ExitCode}")
                + $"; the merge was undone ('{_target.Branch}' is back at {before.Sha[..7]})."), run.Output);
    }

    /// <summary>Puts the target back at <paramref name="before"/>: branch, index, files, no merge in progress, no new untracked files.</summary>
    private void Undo(Repository repository, Commit before, IReadOnlySet<string> untrackedBefore)
    {
        repository.Reset(ResetMode.Hard, before);
        foreach (var path in Untracked(repository).Where(p => !untrackedBefore.Contains(p)))
        {
            File.Delete(Path.Combine(_target.Path, path));
            for (var folder = Path.GetDirectoryName(Path.Combine(_target.Path, path)); folder is not null && folder.Length > _target.Path.Length &&
                 !Directory.EnumerateFileSystemEntries(folder).Any(); folder = Path.GetDirectoryName(folder))
                Directory.Delete(folder);
        }
    }

    private static HashSet<string> Untracked(Repository repository) =>
        repository.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true })
            .Where(e => e.State == FileStatus.NewInWorkdir).Select(e => e.FilePath).ToHashSet(StringComparer.Ordinal);

    private void EnsureClean(Repository repository)
    {
        var status = repository.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = false });
        if (WorktreeManager.HasUncommittedWork(status, _worktrees.IsCopied))
            throw new WorktreeException(WorktreeProblem.Dirty,
                $"'{_target.Name}' has uncommitted changes or untracked files; commit or stash them before merging into it ({_target.Path}).");
        if (repository.Info.CurrentOperation != CurrentOperation.None)
            throw new WorktreeException(WorktreeProblem.Dirty,
                $"'{_target.Name}' is in the middle of a {repository.Info.CurrentOperation}; finish or abort it first ({_target.Path}).");
    }

    /// <summary>The file's content as a hash, null when it does not exist.</summary>
    private static string? Fingerprint(string file) =>
        File.Exists(file) ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))) : null;

    /// <summary>A line that git's conflict markers start: <c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; </c>, <c>=======</c>, <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt; </c> or diff3's <c>|||||||</c>.</summary>
    internal static bool HasConflictMarkers(string file)
    {
        if (!File.Exists(file))
            return false;
        bool opening = false, closing = false;
        foreach (var line in File.ReadLines(file))
        {
            opening |= line.StartsWith("<<<<<<<", StringComparison.Ordinal) && (line.Length == 7 || line[7] == ' ');
            closing |= line.StartsWith(">>>>>>>", StringComparison.Ordinal) && (line.Length == 7 || line[7] == ' ');
            if (opening || closing)
                return true;
        }
        return false;
    }

    private void Record(Repository repository, ClimuxWorktree source, Commit merged)
    {
        if (source.Branch is { } branch)
            MergeRecords.Record(repository, branch, merged, _target.Branch!);
    }

    private static Commit Commit(Repository repository, Tree tree, string message, Commit[] parents)
    {
        var signature = Signature(repository);
        return repository.ObjectDatabase.CreateCommit(signature, signature, message, tree, parents, prettifyMessage: true);
    }

    private static LibGit2Sharp.Signature Signature(Repository repository) =>
        repository.Config.BuildSignature(DateTimeOffset.Now) ?? new LibGit2Sharp.Signature("Climux", "climux@localhost", DateTimeOffset.Now);

    private string Message(ClimuxWorktree source, Commit merged, (IReadOnlyList<string> Paths, string? SessionId)? resolution)
    {
        var text = new StringBuilder();
        text.AppendLine($"{(_options.Squash ? "Squash" : "Merge")} worktree '{source.Name}' into {_target.Branch}");
        text.AppendLine();
        text.AppendLine(source.Branch is null ? $"Commit {merged.Sha[..7]} of worktree '{source.Name}'." : $"Branch {source.Branch} at {merged.Sha[..7]}.");
        var sessions = _options.SessionsOf(source.Name);
        if (sessions.Count > 0)
        {
            text.AppendLine().AppendLine("Sessions:");
            foreach (var session in sessions)
                text.AppendLine($"- {session.Id} ({session.Provider}, {session.Status}): {ClimuxSession.Abbreviate(session.Prompt, 100)}");
        }
        if (resolution is { } resolved)
        {
            text.AppendLine().AppendLine($"Conflicts resolved{(resolved.SessionId is null ? "" : $" by session {resolved.SessionId}")}:");
            foreach (var path in resolved.Paths)
                text.AppendLine($"- {path}");
        }
        return text.ToString();
    }

    private ClimuxMergeResult Result(ClimuxWorktree source, ClimuxMergeStatus status, Commit commit, IEnumerable<string>? conflicts = null, string? testOutput = null,
        string? sessionId = null, string? message = null) => new()
        {
            Worktree = source.Name,
            Into = _target.Name,
            Status = status,
            Commit = commit.Sha,
            Conflicts = conflicts?.ToArray() ?? [],
            TestOutput = testOutput,
            ResolutionSessionId = sessionId,
            Message = message,
        };
}

public enum FanInProblem
{
    Detached,
    NothingToMerge,
    GitNotFound,
    GhNotFound,
    RemoteNotFound,
    PushFailed,
    PullRequestFailed,
}

/// <summary>A fan-in step could not be done; <see cref="Problem"/> says why.</summary>
public sealed class FanInException(FanInProblem problem, string message) : Exception(message)
{
    public FanInProblem Problem { get; } = problem;
}
