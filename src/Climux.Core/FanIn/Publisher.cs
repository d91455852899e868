using System.Globalization;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Climux.Core.Providers;
using Climux.Core.Sessions;
using Climux.Core.Worktrees;
using LibGit2Sharp;

namespace Climux.Core.FanIn;

public sealed class PublishOptions
{
    public string Remote { get; init; } = "origin";
    /// <summary>Also open a pull request with <c>gh pr create</c>.</summary>
    public bool PullRequest { get; init; }
    /// <summary>The pull request's title; default: the first session's prompt.</summary>
    public string? Title { get; init; }
    public bool Draft { get; init; }
}

/// <summary>What publishing one worktree did.</summary>
public sealed class ClimuxPublishResult
{
    public required string Worktree { get; init; }
    public required string Branch { get; init; }
    public required string Remote { get; init; }
    public bool Pushed { get; init; }
    public string? PullRequestUrl { get; init; }

    public override string ToString() => $"{Worktree}: {Branch} -> {Remote}{(PullRequestUrl is null ? "" : " " + PullRequestUrl)}";
}

/// <summary>
/// Pushes worktree branches with the user's own <c>git</c> (so their credential helpers and SSH
/// keys work, which libgit2 lacks) and opens pull requests with <c>gh</c>.
/// </summary>
/// <param name="findProgram">Where a program is (default: on PATH); null when it is not installed.</param>
public sealed class Publisher(WorktreeManager worktrees, Func<string, string?>? findProgram = null)
{
    /// <summary>Throws what would stop publishing <paramref name="worktree"/>, before anything is pushed.</summary>
    public void Check(ClimuxWorktree worktree, PublishOptions options)
    {
        if (worktree.Branch is null)
            throw new FanInException(FanInProblem.Detached,
                $"'{worktree.Name}' has no branch checked out (detached HEAD at {worktree.Head}); make one there first: git -C '{worktree.Path}' switch -c <branch>.");
        Program("git");
        if (options.PullRequest)
            Program("gh");
        using var repository = new Repository(worktree.Path);
        if (repository.Network.Remotes[options.Remote] is null)
        {
            var known = repository.Network.Remotes.Select(r => r.Name).ToList();
            throw new FanInException(FanInProblem.RemoteNotFound,
                $"The repository has no remote '{options.Remote}' ({(known.Count == 0 ? "it has none" : "it has " + string.Join(", ", known))}). " +
                $"Add one with: git remote add {options.Remote} <url>{(known.Count > 0 ? ", or name another with -Remote" : "")}.");
        }
    }

    /// <summary>Pushes the worktree's branch to the remote, sets it as the upstream, and opens a pull request when asked.</summary>
    public async Task<ClimuxPublishResult> PublishAsync(ClimuxWorktree worktree, PublishOptions options, IReadOnlyList<ClimuxSession> sessions,
        CancellationToken cancellation = default)
    {
        Check(worktree, options);
        var branch = worktree.Branch!;
        var push = await RunAsync(Program("git"), worktree.Path, ["push", "--set-upstream", options.Remote, $"refs/heads/{branch}:refs/heads/{branch}"], cancellation);
        if (push.ExitCode != 0)
            throw new FanInException(FanInProblem.PushFailed,
                $"git push of '{branch}' to '{options.Remote}' failed (exit code {push.ExitCode}): {Tail(push.StandardError)}");
        if (!options.PullRequest)
            return new ClimuxPublishResult { Worktree = worktree.Name, Branch = branch, Remote = options.Remote, Pushed = true };

        List<string> arguments = ["pr", "create", "--head", branch, "--title", Title(worktree, options, sessions), "--body", Body(worktree, sessions)];
        if (BaseOnRemote(worktree, options.Remote) is { } baseBranch)
            arguments.AddRange(["--base", baseBranch]);
        if (options.Draft)
            arguments.Add("--draft");
        var pr = await RunAsync(Program("gh"), worktree.Path, arguments, cancellation);
        if (pr.ExitCode != 0)
            throw new FanInException(FanInProblem.PullRequestFailed,
                $"'{branch}' was pushed to '{options.Remote}', but gh pr create failed (exit code {pr.ExitCode}): {Tail(pr.StandardError + pr.StandardOutput)}");
        var url = pr.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .LastOrDefault(l => l.StartsWith("https://", StringComparison.Ordinal) || l.StartsWith("http://", StringComparison.Ordinal));
        return new ClimuxPublishResult { Worktree = worktree.Name, Branch = branch, Remote = options.Remote, Pushed = true, PullRequestUrl = url };
    }

    /// <summary>The title a pull request gets: -Title, else the first session's prompt (its first line), else the branch.</summary>
    public static string Title(ClimuxWorktree worktree, PublishOptions options, IReadOnlyList<ClimuxSession> sessions) =>
        options.Title ?? (sessions.Count > 0 ? ClimuxSession.Abbreviate(sessions[0].Prompt.Split('\n')[0], 72) : worktree.Branch ?? worktree.Name);

    /// <summary>The pull request's body: the sessions' results, the files changed and the cost.</summary>
    public string Body(ClimuxWorktree worktree, IReadOnlyList<ClimuxSession> sessions)
    {
        var text = new StringBuilder();
        text.AppendLine($"Work from the Climux worktree `{worktree.Name}` (branch `{worktree.Branch}`{(worktree.BaseBranch is null ? "" : $", from `{worktree.BaseBranch}`")}).");
        if (sessions.Count > 0)
        {
            text.AppendLine().AppendLine("## Sessions").AppendLine();
            foreach (var session in sessions)
            {
                text.AppendLine($"- `{session.Id}` {session.Provider}{(session.Model is null ? "" : $" ({session.Model})")}, {session.Status}: {ClimuxSession.Abbreviate(session.Prompt, 200)}");
                if (!string.IsNullOrWhiteSpace(session.Result))
                    text.AppendLine($"  > {ClimuxSession.Abbreviate(session.Result, 600)}");
            }
        }
        var files = new WorktreeChanges(worktrees).Read([worktree.Name], withPatch: false, includeUncommitted: false);
        text.AppendLine().AppendLine($"## Files changed ({files.Count})").AppendLine();
        foreach (var file in files.Take(100))
            text.AppendLine($"- `{file.Path}`{(file.OldPath is null ? "" : $" (was `{file.OldPath}`)")} {file.Status}{(file.Binary ? ", binary" : $", +{file.LinesAdded} -{file.LinesRemoved}")}");
        if (files.Count > 100)
            text.AppendLine($"- … and {files.Count - 100} more");
        if (sessions.Count > 0)
            text.AppendLine().AppendLine($"Cost: ${sessions.Sum(s => s.CostUsd).ToString("0.0000", CultureInfo.InvariantCulture)} over {sessions.Count} session(s).");
        return text.ToString();
    }

    private static string? BaseOnRemote(ClimuxWorktree worktree, string remote) => worktree.BaseBranch switch
    {
        null => null,
        var name when name.StartsWith(remote + "/", StringComparison.Ordinal) => name[(remote.Length + 1)..],
        var name => name,
    };

    private string Program(string name) => (findProgram ?? (n => CommandResolver.Resolve(n)))(name) ?? throw (name == "gh"
        ? new FanInException(FanInProblem.GhNotFound,
            "gh (the GitHub CLI) is not installed or not on PATH: install it from https://cli.github.com and run 'gh auth login', or leave out -PullRequest.")
        : new FanInException(FanInProblem.GitNotFound,
            "git is not installed or not on PATH: Climux pushes with your own git, so that your credential helpers and SSH keys work. Install it from https://git-scm.com."));

    private static async Task<BufferedCommandResult> RunAsync(string program, string folder, IReadOnlyList<string> arguments, CancellationToken cancellation) =>
        await Cli.Wrap(program).WithArguments(arguments).WithWorkingDirectory(folder)
            .WithStandardInputPipe(PipeSource.Null)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellation);

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length > 2000 ? "…" + trimmed[^2000..] : trimmed;
    }
}
