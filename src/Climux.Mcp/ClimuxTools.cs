using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Export;
using Climux.Core.FanIn;
using Climux.Core.Json;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Stats;
using Climux.Core.Workspaces;
using Climux.Core.Worktrees;
using Climux.PowerShell.Cmdlets;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Climux.Mcp;

/// <summary>
/// The tools of <c>climux mcp</c>. Each parses its arguments, calls the engine and returns the
/// shapes of <c>climux … --json</c>; names and argument names are a contract. Relative paths and
/// the repository whose worktrees are meant come from <see cref="Workspace"/>, the server's folder.
/// An exception becomes an error result with the error id <paramref name="errorIdOf"/> gives it
/// (the climux command's, which are the cmdlets').
/// </summary>
[McpServerToolType]
public sealed class ClimuxTools(ClimuxEngine engine, string workspace, Func<Exception, string> errorIdOf)
{
    private const string ResumePrompt = "Continue where you left off.";
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);

    /// <summary>The folder the server works in: runs go there unless told otherwise, worktrees are those of its repository.</summary>
    public string Workspace { get; } = Path.GetFullPath(workspace);

    [McpServerTool(Name = "run_task", Destructive = false, OpenWorld = true)]
    [Description("Starts an AI coding agent on a task, in a worktree or folder. Returns the queued session (its id is sessionId) at once; with wait=true, the finished session. The run goes on in this server while it lives.")]
    public Task<CallToolResult> RunTask(
        [Description("What the agent should do.")] string prompt,
        [Description("Provider: claude-code, codex, gemini-cli, opencode or one from the config. Default: the config's defaultProvider.")] string? provider = null,
        [Description("task (edits in its worktree, the default) or plan (read-only).")] string? mode = null,
        [Description("The Climux worktree to run in (see worktree_create).")] string? worktree = null,
        [Description("The repository or folder to run in; default: the server's folder.")] string? workspace = null,
        [Description("The model to ask the provider for.")] string? model = null,
        [Description("Session ids (or names) that must complete before this run starts.")] string[]? dependsOn = null,
        [Description("Seconds the agent may run before it is stopped (TimedOut).")] int? timeoutSeconds = null,
        [Description("USD: the run is stopped (Failed) once its cost passes this.")] decimal? maxCostUsd = null,
        [Description("Wait until the session ends and return it finished.")] bool? wait = null,
        CancellationToken cancellation = default) => Guard(async () =>
        {
            if (timeoutSeconds is <= 0)
                throw new McpToolException(ErrorIds.InvalidRunOptions, $"timeoutSeconds must be a positive number of seconds, not {timeoutSeconds}.");
            if (maxCostUsd is <= 0)
                throw new McpToolException(ErrorIds.InvalidRunOptions, $"maxCostUsd must be a positive amount of USD, not {maxCostUsd}.");
            var runMode = ParseMode(mode);
            var config = Config(workspace);
            var directory = engine.ResolveRunDirectory(Workspace, workspace, worktree, config);
            var request = new RunRequest
            {
                Config = config, Prompt = prompt, Directory = directory, Provider = provider, Mode = runMode, Model = model,
                Worktree = worktree, DependsOn = dependsOn ?? [],
                Options = new RunOptions { TimeoutSeconds = timeoutSeconds, MaxCost = maxCostUsd },
            };
            return await LaunchAsync(request, wait == true, cancellation).ConfigureAwait(false);
        });

    [McpServerTool(Name = "session_list", ReadOnly = true, OpenWorld = false)]
    [Description("Lists sessions, oldest first: { sessions: [...] }.")]
    public Task<CallToolResult> SessionList(
        [Description("Only this status: Queued, Running, Completed, Failed, Stopped, TimedOut or Orphaned.")] string? status = null,
        [Description("Only sessions of this repository (a path relative to the server's folder, or @alias from workspaces:).")] string? workspace = null,
        [Description("Only this provider.")] string? provider = null,
        [Description("Only the newest N.")] int? limit = null,
        CancellationToken cancellation = default) => Guard(() =>
        {
            if (limit is <= 0)
                throw new McpToolException(ErrorIds.InvalidRunOptions, $"limit must be a positive number, not {limit}.");
            var filter = new SessionFilter
            {
                Statuses = status is null ? null : [ParseEnum<SessionStatus>(status, "status")],
                Providers = provider is null ? null : [provider],
                Workspace = workspace is null ? null : ClimuxEngine.WorkspaceRoot(workspace, Workspace, Config(null)),
                Last = limit,
            };
            var sessions = engine.Sessions.Find(filter).Select(SessionJson.From).ToList();
            return Task.FromResult(ToolResults.List("sessions", sessions, SessionLine, "No sessions."));
        });

    [McpServerTool(Name = "session_wait", ReadOnly = true, OpenWorld = false)]
    [Description("Waits until a session ends (or timeoutSeconds pass) and returns it; check its status.")]
    public Task<CallToolResult> SessionWait(
        [Description("The session's id (or name, or an id prefix of 4 characters or more).")] string sessionId,
        [Description("Give up after this many seconds and return the session as it is then.")] int? timeoutSeconds = null,
        CancellationToken cancellation = default) => Guard(async () =>
        {
            var session = engine.Sessions.Resolve(sessionId);
            var timeout = timeoutSeconds is { } s ? TimeSpan.FromSeconds(Math.Max(0, s)) : (TimeSpan?)null;
            var waited = await engine.Sessions.WaitAsync([session.Id], any: false, timeout, null, cancellation).ConfigureAwait(false);
            return SessionResult(waited.SingleOrDefault() ?? session);
        });

    [McpServerTool(Name = "session_resume", Destructive = false, OpenWorld = true)]
    [Description("Continues a finished session's conversation with a new prompt, in its folder: a new linked session. Returns it queued, or finished with wait=true.")]
    public Task<CallToolResult> SessionResume(
        [Description("The session to continue.")] string sessionId,
        [Description("The new prompt; default: \"" + ResumePrompt + "\"")] string? prompt = null,
        [Description("Wait until the new session ends.")] bool? wait = null,
        CancellationToken cancellation = default) => Guard(async () =>
        {
            var parent = engine.Sessions.Resolve(sessionId);
            var request = RunRequest.ResumeOf(parent, Config(null), prompt ?? ResumePrompt, new RunOptions());
            return await LaunchAsync(request, wait == true, cancellation).ConfigureAwait(false);
        });

    [McpServerTool(Name = "session_export", ReadOnly = true, OpenWorld = false)]
    [Description("A session and its transcript as Markdown or JSON, secrets redacted: { sessionId, format, content }.")]
    public Task<CallToolResult> SessionExport(
        [Description("The session.")] string sessionId,
        [Description("markdown (or md) or json.")] string format,
        CancellationToken cancellation = default) => Guard(() =>
        {
            var exportFormat = format.ToLowerInvariant() switch
            {
                "markdown" or "md" => ExportFormat.Markdown,
                "json" => ExportFormat.Json,
                _ => throw new McpToolException(ErrorIds.InvalidRunOptions, $"format must be markdown or json, not '{format}'."),
            };
            var session = engine.Sessions.Resolve(sessionId);
            var content = engine.Sessions.Export(session, exportFormat, Config(null));
            var structured = new JsonObject { ["sessionId"] = session.Id, ["format"] = exportFormat == ExportFormat.Json ? "json" : "markdown", ["content"] = content };
            return Task.FromResult(ToolResults.Ok(structured, content));
        });

    [McpServerTool(Name = "session_stop", Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Stops a queued or running session (its agent's process tree is killed) and returns it.")]
    public Task<CallToolResult> SessionStop(
        [Description("The session to stop.")] string sessionId,
        CancellationToken cancellation = default) => Guard(async () =>
        {
            var session = engine.Sessions.Resolve(sessionId);
            var stopped = await engine.Sessions.StopAsync(session.Id, "Stopped with session_stop (climux mcp).", StopWait, cancellation).ConfigureAwait(false);
            if (!stopped.IsFinished)
                throw new StopTimeoutException(stopped);
            return SessionResult(stopped);
        });

    [McpServerTool(Name = "get_status", ReadOnly = true, OpenWorld = false)]
    [Description("Active and queued sessions, the limits, per-workspace load and today's cost against the daily budget.")]
    public Task<CallToolResult> GetStatus(CancellationToken cancellation = default) => Guard(() =>
    {
        var status = engine.Status(Config(null));
        return Task.FromResult(ToolResults.Ok(StatusJson.From(status), status.ToString()));
    });

    [McpServerTool(Name = "get_stats", ReadOnly = true, OpenWorld = false)]
    [Description("Usage and cost of the sessions queued in [from, to), grouped: { rows: [...] }. Default: today, by provider.")]
    public Task<CallToolResult> GetStats(
        [Description("provider, model, workspace, worktree or day.")] string? by = null,
        [Description("Start: an ISO 8601 date or date and time (a date means its local midnight). Default: today.")] string? from = null,
        [Description("End: an ISO 8601 date (that whole day) or date and time. Default: now.")] string? to = null,
        CancellationToken cancellation = default) => Guard(() =>
        {
            var grouping = by is null ? StatsGrouping.Provider : ParseEnum<StatsGrouping>(by, "by");
            var period = StatsPeriod.Resolve(ParseDate(from, "from"), ParseDate(to, "to"))
                ?? throw new McpToolException(ErrorIds.StatsInvalidRange, $"to ({to}) must come after from ({from}).");
            var rows = engine.Stats(grouping, period.From, period.To).Select(StatsRowJson.From).ToList();
            return Task.FromResult(ToolResults.List("rows", rows,
                r => $"{r.Key}: {r.Sessions} sessions, {r.TotalTokens:N0} tokens, ${r.CostUsd.ToString("0.0000", CultureInfo.InvariantCulture)}", "No sessions in that period."));
        });

    [McpServerTool(Name = "worktree_create", Destructive = false, OpenWorld = false)]
    [Description("Creates a git worktree (and its branch) for a run, in the server's repository; returns it (as worktree_list shows it), with any note on its branch in the text.")]
    public Task<CallToolResult> WorktreeCreate(
        [Description("The worktree's name, e.g. feature-auth.")] string name,
        [Description("Its branch; default: the name. An existing branch checked out nowhere is used; one checked out elsewhere (such as main) becomes the base of a new branch named after the worktree.")] string? branch = null,
        [Description("What the branch starts from; default: the repository's HEAD.")] string? @base = null,
        CancellationToken cancellation = default) => Guard(() =>
        {
            var manager = Worktrees();
            var notes = new List<string>(manager.CheckName(name));
            var created = manager.CreateFromBranchOrBase(name, branch, @base, warn: notes.Add);
            if (created.Note is { } branchNote)
                notes.Add(branchNote);
            var note = notes.Count == 0 ? null : string.Join(" ", notes);
            return Task.FromResult(ToolResults.Ok(WorktreeJson.From(created.Worktree),
                $"Created worktree {created.Worktree}" + (note is null ? "" : $"\n{note}")));
        });

    [McpServerTool(Name = "worktree_list", ReadOnly = true, OpenWorld = false)]
    [Description("The worktrees of the server's repository, with branch, dirty state, ahead/behind and sessions: { worktrees: [...] }.")]
    public Task<CallToolResult> WorktreeList(CancellationToken cancellation = default) => Guard(() =>
    {
        var worktrees = Worktrees().List().Select(WorktreeJson.From).ToList();
        return Task.FromResult(ToolResults.List("worktrees", worktrees,
            w => $"{w.Name} ({w.Branch ?? w.Head}) {w.Path}" + (w.Dirty ? " dirty" : "") + (w.ActiveSessions > 0 ? $" {w.ActiveSessions} active" : ""), "No worktrees."));
    });

    [McpServerTool(Name = "worktree_remove", Destructive = true, OpenWorld = false)]
    [Description("Removes a worktree. A dirty or unmerged one, or one with active sessions, is refused unless force (which stops its sessions). Never the main worktree.")]
    public Task<CallToolResult> WorktreeRemove(
        [Description("The worktree's name.")] string name,
        [Description("Remove it even with uncommitted or unmerged work, stopping its sessions.")] bool? force = null,
        CancellationToken cancellation = default) => Guard(async () =>
        {
            var manager = Worktrees();
            var worktree = manager.FindForRemoval(name) ?? throw NoWorktree(name);
            var forced = force == true;
            WorktreeManager.CheckRemovable(worktree, forced);
            if (worktree.ActiveSessions > 0)
                await engine.Sessions.StopInAsync(worktree, "Its worktree was removed with worktree_remove force.", StopWait, cancellation).ConfigureAwait(false);
            manager.Remove(worktree, forced, deleteBranch: false);
            return ToolResults.Ok(WorktreeJson.From(worktree), $"Removed worktree {worktree}");
        });

    [McpServerTool(Name = "worktree_conflicts", ReadOnly = true, OpenWorld = false)]
    [Description("Predicts the conflicts between worktrees if they were merged (in memory, nothing checked out): { conflicts: [...] }. Default: every worktree but the main one.")]
    public Task<CallToolResult> WorktreeConflicts(
        [Description("The worktrees to compare; default: all.")] string[]? names = null,
        CancellationToken cancellation = default) => Guard(() =>
        {
            var manager = Worktrees();
            var all = manager.Locate(_ => true);
            IReadOnlyList<string> chosen;
            if (names is { Length: > 0 })
            {
                var missing = names.FirstOrDefault(n => !all.Any(w => string.Equals(w.Name, n, StringComparison.OrdinalIgnoreCase)));
                if (missing is not null)
                    throw NoWorktree(missing);
                chosen = names;
            }
            else
                chosen = [.. all.Where(w => !w.IsMain).Select(w => w.Name)];
            var conflicts = new ConflictFinder(manager).Find([.. chosen]).Select(ConflictJson.From).ToList();
            return Task.FromResult(ToolResults.List("conflicts", conflicts, c => $"{c.Worktree} <> {c.Other}: {c.Path} ({c.Kind})", "No conflicts predicted."));
        });

    [McpServerTool(Name = "worktree_merge", Destructive = true, OpenWorld = false)]
    [Description("Merges worktrees, in order, into another worktree (an integration branch), running the test command after each merge when given: { results: [...] } with each one's status (FastForward, Merged, UpToDate, Conflicted, TestFailed).")]
    public Task<CallToolResult> WorktreeMerge(
        [Description("The worktrees to merge, in order.")] string[] names,
        [Description("The worktree to merge into.")] string into,
        [Description("A shell command run in the target after each merge; a failure undoes that merge (TestFailed).")] string? test = null,
        CancellationToken cancellation = default) => Guard(async () =>
        {
            if (names.Length == 0)
                throw new McpToolException(ErrorIds.WorktreeNotFound, "names is empty: give the worktrees to merge.");
            var manager = Worktrees();
            var target = manager.Find(into) ?? throw NoWorktree(into);
            if (target.ActiveSessions > 0)
                throw new McpToolException(ErrorIds.WorktreeBusy, $"'{target.Name}' has {target.ActiveSessions} queued or running session(s): an agent may be writing there. Wait for them first.");
            var sources = names.Select(n => manager.Find(n) ?? throw NoWorktree(n)).ToList();
            if (sources.FirstOrDefault(s => s.Path == target.Path) is { } itself)
                throw new McpToolException(ErrorIds.MergeIntoItself, $"'{itself.Name}' is the worktree merged into; it cannot be merged into itself.");
            var queue = new MergeQueue(manager, target, new MergeQueueOptions
            {
                Test = test,
                SessionsOf = w => engine.Sessions.Find(new SessionFilter { Workspace = manager.Workspace, Worktree = w }),
            });
            queue.EnsureClean();
            var results = new List<MergeResultJson>();
            foreach (var source in sources)
                results.Add(MergeResultJson.From(await queue.MergeAsync(source, cancellation).ConfigureAwait(false)));
            return ToolResults.List("results", results, r => $"{r.Worktree} -> {r.Into}: {r.Status}" + (r.Commit is null ? "" : $" {r.Commit}") +
                (r.Conflicts.Count == 0 ? "" : $" conflicts: {string.Join(", ", r.Conflicts)}"), "Nothing merged.");
        });

    private async Task<CallToolResult> LaunchAsync(RunRequest request, bool wait, CancellationToken cancellation)
    {
        var handle = engine.Runs.Queue(request);
        engine.Runs.Start(handle);
        var budget = handle.Budget is { PastAlertThreshold: true } b ? $"\nWarning: {b.Describe()}; the alert threshold is {b.AlertThreshold:P0}." : "";
        if (!wait)
            return SessionResult(handle.Session, budget);
        // A cancelled call stops the waiting, not the run.
        var finished = await handle.Completion.WaitAsync(cancellation).ConfigureAwait(false);
        return SessionResult(finished, budget);
    }

    private static CallToolResult SessionResult(ClimuxSession session, string note = "") =>
        ToolResults.Ok(SessionJson.From(session), SessionLine(SessionJson.From(session)) + note);

    private static string SessionLine(SessionJson s) =>
        $"Session {s.SessionId}: {s.Status} ({s.Provider}{(s.Model is null ? "" : "/" + s.Model)}, {s.Mode}) in {s.Directory}" +
        (s.Result is null ? "" : $"\nResult: {s.Result}") + (s.Error is null ? "" : $"\nError: {s.Error}");

    private ClimuxConfig Config(string? workspace) =>
        engine.LoadConfig(WorkspaceLocator.FindWorkspaceRoot(workspace is null ? Workspace : Path.GetFullPath(workspace, Workspace))).Config;

    private WorktreeManager Worktrees()
    {
        var root = WorkspaceLocator.FindWorkspaceRoot(Workspace)
            ?? throw new McpToolException(ErrorIds.NotInWorkspace, $"The server's folder '{Workspace}' is not inside a git repository; start climux mcp in the repository whose worktrees you mean.");
        return engine.Worktrees(root, Config(null));
    }

    private static McpToolException NoWorktree(string name) => new(ErrorIds.WorktreeNotFound, $"No worktree '{name}'. List them with worktree_list.");

    private static RunMode ParseMode(string? mode) => mode is null ? RunMode.Task : ParseEnum<RunMode>(mode, "mode");

    private static T ParseEnum<T>(string text, string argument) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text.TrimStart()[0])
            ? value
            : throw new McpToolException(ErrorIds.InvalidRunOptions, $"{argument} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{text}'.");

    private static DateTime? ParseDate(string? text, string argument) =>
        text is null ? null
        : DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value) ? value
        : throw new McpToolException(ErrorIds.StatsInvalidRange, $"{argument} must be an ISO 8601 date or date and time, not '{text}'.");

    /// <summary>Runs a tool's work; whatever it throws becomes an error result (the server answers on).</summary>
    private async Task<CallToolResult> Guard(Func<Task<CallToolResult>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            return ToolResults.Error(e is McpToolException own ? own.ErrorId : errorIdOf(e), e.Message);
        }
    }
}
