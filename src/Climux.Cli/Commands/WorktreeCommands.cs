using System.CommandLine;
using System.IO.Enumeration;
using Climux.Cli.Rendering;
using Climux.Core.FanIn;
using Climux.Core.Json;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Worktrees;
using Climux.PowerShell.Cmdlets;

namespace Climux.Cli.Commands;

/// <summary><c>climux worktree create|list|delete|changes|conflicts|merge|publish</c>, in the repository of the current folder.</summary>
public static class WorktreeCommands
{
    public static Command Create(CliContext context) => new Command("worktree", "Git worktrees for agent runs, one task each, and their fan-in: changes, predicted conflicts, merge, publish.")
    {
        CreateCommand(context), ListCommand(context), DeleteCommand(context), ChangesCommand(context),
        ConflictsCommand(context), MergeCommand(context), PublishCommand(context),
    };

    private static WorktreeManager Worktrees(CliContext context) =>
        context.WorkspaceRoot is { } workspace
            ? context.Engine.Worktrees(workspace, context.Config)
            : throw new CliException(ErrorIds.NotInWorkspace, $"'{context.CurrentDirectory}' is not inside a git repository. Change to the repository whose worktrees you mean.");

    private static CliException NotFound(string name) => new(ErrorIds.WorktreeNotFound, $"No worktree '{name}'. List them with: climux worktree list");

    /// <summary>The names of the worktrees that match the patterns (* and ?), every non-main one when there are none; a plain name that matches nothing is an error.</summary>
    private static IReadOnlyList<string> MatchNames(WorktreeManager manager, IReadOnlyCollection<string> patterns)
    {
        var all = manager.Locate(_ => true);
        if (patterns.Count == 0)
            return [.. all.Where(w => !w.IsMain).Select(w => w.Name)];
        var names = all.Where(w => patterns.Any(p => FileSystemName.MatchesSimpleExpression(p, w.Name))).Select(w => w.Name).ToList();
        if (patterns.FirstOrDefault(p => p.IndexOfAny(['*', '?']) < 0 && !names.Contains(p, StringComparer.OrdinalIgnoreCase)) is { } missing)
            throw NotFound(missing);
        return names;
    }

    private static IReadOnlyList<ClimuxSession> SessionsIn(CliContext context, WorktreeManager manager, string worktree) =>
        context.Engine.Sessions.Find(new SessionFilter { Workspace = manager.Workspace, Worktree = worktree });

    private static Command CreateCommand(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The worktree's name (its folder under the repository's worktree root)." };
        var branch = new Option<string?>("--branch") { Description = "Its branch (default: the name). Made at the base if it does not exist; used as it is if it is checked out nowhere; if it is checked out elsewhere (e.g. main), it becomes the base of a new branch named after the worktree." };
        var baseRef = new Option<string?>("--base") { Description = "Branch, tag or commit a new branch starts from (default: the default branch's tip)." };
        var clean = new Option<bool>("--clean") { Description = "Refuse when the main worktree has uncommitted changes to tracked files." };
        var json = new Option<bool>("--json") { Description = "Print the worktree as one JSON object." };
        var command = new Command("create", "Creates a worktree and its branch.") { name, branch, baseRef, clean, json }.WithExamples("""
            climux worktree create feat-backend --branch feature/user-auth
            climux worktree create feat-frontend --branch main    # main is checked out: new branch feat-frontend from main
            climux worktree create fix-123 --base v2.1 --json | jq -r .path
            """);
        command.SetAction(parse =>
        {
            var manager = Worktrees(context);
            var worktreeName = parse.GetValue(name)!;
            foreach (var warning in manager.CheckName(worktreeName))
                context.Warn(warning);
            var created = manager.CreateFromBranchOrBase(worktreeName, parse.GetValue(branch), parse.GetValue(baseRef), parse.GetValue(clean), context.Warn);
            if (created.Note is { } note)
                context.Info(note);
            var worktree = created.Worktree;
            if (parse.GetValue(json))
                context.WriteJson(WorktreeJson.From(worktree));
            else
                context.Out.WriteLine($"Created worktree '{worktree.Name}' on branch '{worktree.Branch}' from {worktree.BaseBranch ?? worktree.Base}: {worktree.Path}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var names = new Argument<string[]>("name") { Description = "Only these worktrees (* and ? match any characters).", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format") { Description = "table (default), names (one name a line, main worktree left out), or json (an array).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "names", "json");
        var json = new Option<bool>("--json") { Description = "The same as --format json." };
        var command = new Command("list", "Lists the repository's worktrees with branch, state, commits ahead/behind the base and sessions.") { names, format, json }.WithExamples("""
            climux worktree list
            for wt in $(climux worktree list --format names); do climux worktree changes "$wt"; done
            climux worktree list --format json | jq -r '.[] | select(.dirty) | .name'
            """);
        command.SetAction(parse =>
        {
            var patterns = parse.GetValue(names) ?? [];
            var worktrees = Worktrees(context).List(n => patterns.Length == 0 || patterns.Any(p => FileSystemName.MatchesSimpleExpression(p, n)));
            if (patterns.FirstOrDefault(p => p.IndexOfAny(['*', '?']) < 0 && worktrees.All(w => !string.Equals(w.Name, p, StringComparison.OrdinalIgnoreCase))) is { } missing)
                throw NotFound(missing);
            switch (parse.GetValue(json) ? "json" : parse.GetValue(format))
            {
                case "json":
                    context.WriteJson<IReadOnlyList<WorktreeJson>>([.. worktrees.Select(WorktreeJson.From)]);
                    break;
                case "names":
                    foreach (var worktree in worktrees.Where(w => !w.IsMain))
                        context.Out.WriteLine(worktree.Name);
                    break;
                default:
                    var table = new Table("NAME", "BRANCH", "STATE", "AHEAD", "BEHIND", "SESSIONS", "PATH").AlignRight(3, 4, 5);
                    foreach (var w in worktrees)
                        table.Add(w.IsMain ? w.Name + " (main)" : w.Name, w.Branch ?? w.Head?[..7], w.Dirty ? "dirty" : "clean",
                            w.Ahead?.ToString(), w.Behind?.ToString(), $"{w.ActiveSessions}/{w.TotalSessions}", w.Path);
                    table.Write(context.Out);
                    break;
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command DeleteCommand(CliContext context)
    {
        var names = new Argument<string[]>("name") { Description = "The worktrees to delete.", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force") { Description = "Delete even with uncommitted changes (lost), unmerged commits or active sessions (stopped)." };
        var deleteBranch = new Option<bool>("--delete-branch") { Description = "Also delete the worktree's local branch." };
        var command = new Command("delete", "Deletes worktrees; refuses dirty or unmerged ones and those with active sessions unless --force; never the main worktree.")
        {
            names, force, deleteBranch,
        }.WithExamples("""
            climux worktree delete feat-backend
            climux worktree delete experiment-a experiment-b --force --delete-branch
            """);
        command.SetAction(async (parse, cancellation) =>
        {
            var manager = Worktrees(context);
            foreach (var name in parse.GetValue(names)!)
            {
                var worktree = manager.FindForRemoval(name) ?? throw NotFound(name);
                WorktreeManager.CheckRemovable(worktree, parse.GetValue(force));
                await context.Engine.Sessions.StopInAsync(worktree, "Its worktree was deleted with climux worktree delete --force.", TimeSpan.FromSeconds(30), cancellation)
                    .ConfigureAwait(false);
                manager.Remove(worktree, parse.GetValue(force), parse.GetValue(deleteBranch));
                context.Info($"Deleted worktree '{worktree.Name}'{(parse.GetValue(deleteBranch) && worktree.Branch is not null ? $" and branch '{worktree.Branch}'" : "")}.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ChangesCommand(CliContext context)
    {
        var names = new Argument<string[]>("name") { Description = "The worktrees (* and ? match; default: all but the main one).", Arity = ArgumentArity.ZeroOrMore };
        var patch = new Option<bool>("--patch") { Description = "Include each file's patch (printed after the table, or in the patch field with --json)." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of changed files." };
        var command = new Command("changes", "What each worktree changed against its base, per file.") { names, patch, json }.WithExamples("""
            climux worktree changes feat-backend
            climux worktree changes --json | jq 'group_by(.worktree) | map({(.[0].worktree): length}) | add'
            """);
        command.SetAction(parse =>
        {
            var manager = Worktrees(context);
            var changes = new WorktreeChanges(manager).Read(MatchNames(manager, parse.GetValue(names) ?? []), parse.GetValue(patch));
            if (parse.GetValue(json))
            {
                context.WriteJson<IReadOnlyList<WorktreeChangeJson>>([.. changes.Select(WorktreeChangeJson.From)]);
                return ExitCodes.Success;
            }
            var table = new Table("WORKTREE", "STATUS", "PATH", "+", "-").AlignRight(3, 4);
            foreach (var c in changes)
                table.Add(c.Worktree, c.Status.ToString(), c.OldPath is null ? c.Path : $"{c.OldPath} -> {c.Path}", c.Binary ? "bin" : c.LinesAdded.ToString(), c.Binary ? "" : c.LinesRemoved.ToString());
            table.Write(context.Out);
            foreach (var c in changes.Where(c => c.Patch is not null))
                context.Out.Write(c.Patch);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ConflictsCommand(CliContext context)
    {
        var names = new Argument<string[]>("name") { Description = "The worktrees to compare (default: all but the main one).", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of predicted conflicts." };
        var command = new Command("conflicts", "Predicts, in memory, which files two worktrees would conflict on when both are merged.") { names, json }.WithExamples("""
            climux worktree conflicts
            climux worktree conflicts feat-backend feat-frontend --json | jq length
            """);
        command.SetAction(parse =>
        {
            var manager = Worktrees(context);
            var conflicts = new ConflictFinder(manager).Find(MatchNames(manager, parse.GetValue(names) ?? []));
            if (parse.GetValue(json))
            {
                context.WriteJson<IReadOnlyList<ConflictJson>>([.. conflicts.Select(ConflictJson.From)]);
                return ExitCodes.Success;
            }
            if (conflicts.Count == 0)
            {
                context.Info("No conflicts predicted.");
                return ExitCodes.Success;
            }
            var table = new Table("WORKTREE", "OTHER", "PATH", "KIND");
            foreach (var c in conflicts)
                table.Add(c.Worktree, c.Other, c.Path, c.Kind.ToString());
            table.Write(context.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command MergeCommand(CliContext context)
    {
        var names = new Argument<string[]>("name") { Description = "The worktrees to merge, in this order.", Arity = ArgumentArity.OneOrMore };
        var into = new Option<string>("--into") { Description = "The worktree to merge into (an integration worktree).", Required = true };
        var test = new Option<string?>("--test") { Description = "A command run in the target after each merge; when it fails the merge is undone (TestFailed)." };
        var testTimeout = new Option<int>("--test-timeout") { Description = "Seconds the test may take.", DefaultValueFactory = _ => 600 };
        var squash = new Option<bool>("--squash") { Description = "Squash each worktree's commits into one." };
        var resolveWith = new Option<string?>("--resolve-with") { Description = "On a conflict, an agent run of this provider resolves it in the target; Climux checks and commits it (Resolved)." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of merge results." };
        var command = new Command("merge", "Merges worktrees in order into another, behind an optional test gate. Exit code 1 when one conflicted or failed its test.")
        {
            names, into, test, testTimeout, squash, resolveWith, json,
        }.WithExamples("""
            climux worktree create integration --branch main
            climux worktree merge feat-backend feat-frontend --into integration --test 'npm test'
            climux worktree merge feat-backend feat-frontend --into integration --resolve-with claude-code
            """);
        command.SetAction(async (parse, cancellation) =>
        {
            var manager = Worktrees(context);
            var target = manager.Find(parse.GetValue(into)!) ?? throw NotFound(parse.GetValue(into)!);
            if (target.ActiveSessions > 0)
                throw new CliException(ErrorIds.WorktreeBusy, $"'{target.Name}' has {target.ActiveSessions} queued or running session(s): an agent may be writing there. Wait for them first.", ExitCodes.Failed);
            AgentConflictResolver? resolver = null;
            if (parse.GetValue(resolveWith) is { } provider)
            {
                // Checked now (provider known and installed), so a mistake stops the command before any merge.
                resolver = new AgentConflictResolver(context.Engine, context.Config, provider);
                context.Engine.Runs.Check(resolver.Request(target.Path, target.IsMain ? null : target.Name, "Resolve merge conflicts."));
            }
            var queue = new MergeQueue(manager, target, new MergeQueueOptions
            {
                Test = parse.GetValue(test),
                TestTimeout = TimeSpan.FromSeconds(parse.GetValue(testTimeout)),
                Squash = parse.GetValue(squash),
                SessionsOf = name => SessionsIn(context, manager, name),
                Resolver = resolver,
            });
            queue.EnsureClean();
            var results = new List<ClimuxMergeResult>();
            foreach (var name in parse.GetValue(names)!)
            {
                var source = manager.Find(name) ?? throw NotFound(name);
                if (source.Path == target.Path)
                    throw new CliException(ErrorIds.MergeIntoItself, $"'{name}' is the worktree merged into (--into); it cannot be merged into itself.");
                if (source.Dirty)
                    context.Warn($"'{source.Name}' has uncommitted changes; only its commits are merged.");
                var result = await queue.MergeAsync(source, cancellation).ConfigureAwait(false);
                results.Add(result);
                if (!parse.GetValue(json))
                    context.Out.WriteLine(result.ToString());
            }
            if (parse.GetValue(json))
                context.WriteJson<IReadOnlyList<MergeResultJson>>([.. results.Select(MergeResultJson.From)]);
            return results.Any(r => r.Status is ClimuxMergeStatus.Conflicted or ClimuxMergeStatus.TestFailed) ? ExitCodes.Failed : ExitCodes.Success;
        });
        return command;
    }

    private static Command PublishCommand(CliContext context)
    {
        var names = new Argument<string[]>("name") { Description = "The worktrees whose branches to push.", Arity = ArgumentArity.OneOrMore };
        var remote = new Option<string>("--remote") { Description = "The remote to push to.", DefaultValueFactory = _ => "origin" };
        var pullRequest = new Option<bool>("--pull-request") { Description = "Also open a pull request with gh." };
        var title = new Option<string?>("--title") { Description = "The pull request's title (default: the first session's prompt)." };
        var draft = new Option<bool>("--draft") { Description = "Open the pull request as a draft." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of what was pushed." };
        var command = new Command("publish", "Pushes worktree branches with your git (and its credentials), optionally opening pull requests with gh.")
        {
            names, remote, pullRequest, title, draft, json,
        }.WithExamples("""
            climux worktree publish feat-backend feat-frontend
            climux worktree publish feat-backend --pull-request --draft --json | jq -r '.[].pullRequestUrl'
            """);
        command.SetAction(async (parse, cancellation) =>
        {
            var manager = Worktrees(context);
            var publisher = new Publisher(manager);
            var options = new PublishOptions { Remote = parse.GetValue(remote)!, PullRequest = parse.GetValue(pullRequest), Title = parse.GetValue(title), Draft = parse.GetValue(draft) };
            var results = new List<ClimuxPublishResult>();
            foreach (var name in parse.GetValue(names)!)
            {
                var worktree = manager.Find(name) ?? throw NotFound(name);
                publisher.Check(worktree, options);
                if (worktree.Dirty)
                    context.Warn($"'{worktree.Name}' has uncommitted changes; only its commits are pushed.");
                var result = await publisher.PublishAsync(worktree, options, SessionsIn(context, manager, worktree.Name), cancellation).ConfigureAwait(false);
                results.Add(result);
                if (!parse.GetValue(json))
                    context.Out.WriteLine(result.ToString());
            }
            if (parse.GetValue(json))
                context.WriteJson<IReadOnlyList<PublishResultJson>>([.. results.Select(PublishResultJson.From)]);
            return ExitCodes.Success;
        });
        return command;
    }
}
