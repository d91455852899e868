using System.Collections.Concurrent;
using System.Text.Json;
using Climux.Core.Agents;
using Climux.Core.Engine;
using Climux.Core.Git;
using Climux.Core.Platform;
using Climux.Core.Pricing;
using Climux.Core.Providers;
using Climux.Core.Quotas;
using Climux.Core.Routing;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Text;
using Climux.Core.Workspaces;

namespace Climux.Core.Runs;

/// <summary>
/// The runs of one engine, in this process, in the background: each run waits for admission
/// (quota, FIFO, dependencies), starts its agent, records its transcript and usage as they arrive,
/// and ends with a final status, whether or not anyone is still watching.
/// </summary>
public sealed class RunEngine
{
    /// <summary>How long a queued or running session waits before it looks at the store again without being woken.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>Transcript entries kept per session; the raw log keeps everything up to its own limit.</summary>
    public const int MaxStoredEvents = 20_000;

    private readonly ClimuxEngine _engine;
    private readonly ConcurrentDictionary<string, RunHandle> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _warnedModels = new(StringComparer.Ordinal);
    private volatile bool _closed;

    internal RunEngine(ClimuxEngine engine) => _engine = engine;

    private IClimuxStore Store => _engine.Store;

    private IStoreSignal Signal => _engine.Signal;

    /// <summary>The run of <paramref name="sessionId"/> if this engine runs it.</summary>
    public RunHandle? Find(string sessionId) => _active.GetValueOrDefault(sessionId);

    /// <summary>The runs of this engine that have not ended yet.</summary>
    public IReadOnlyList<RunHandle> Active => [.. _active.Values];

    /// <summary>
    /// Checks the request and queues the session (it is in the store when this returns). Call
    /// <see cref="Start"/> on the handle, after subscribing to it, to let it run — and call it
    /// whatever else fails: until it runs, a queued session holds up every later one.
    /// </summary>
    /// <exception cref="RunRequestException">The request breaks a rule; nothing was queued.</exception>
    /// <exception cref="BudgetExceededException">Today's budget is spent and the request has no Force.</exception>
    /// <exception cref="DirectoryBusyException">Another session is active in the same worktree and the request has no Force.</exception>
    public RunHandle Queue(RunRequest request)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _engine.WithTeamCeiling(request.Config);
        var plan = Plan(request);
        var budget = Budget.Today(Store, request.Config.Monitoring);
        if (budget.IsSpent && !request.Options.Force)
            throw new BudgetExceededException(budget);
        var session = Store.Insert(plan.Session);
        var handle = new RunHandle(session, plan, budget);
        _active[session.Id] = handle;
        return handle;
    }

    /// <summary>Checks the request as <see cref="Queue"/> would, queueing nothing (to ask the user before queueing).</summary>
    /// <exception cref="RunRequestException">The request breaks a rule.</exception>
    public void Check(RunRequest request) => Plan(request);

    /// <summary>Lets a queued handle run; a second call does nothing.</summary>
    public void Start(RunHandle handle)
    {
        if (handle.MarkStarted())
            _ = Task.Run(() => RunAsync(handle));
    }

    /// <summary>
    /// Kills every agent this engine runs and marks its session Stopped, now: for a process that
    /// is exiting, whose runs' own threads will not get to finish them.
    /// </summary>
    public void StopAll(string reason)
    {
        foreach (var handle in _active.Values)
        {
            handle.Stop(reason);
            handle.Agent?.KillTree();
            TryFinish(handle, new SessionOutcome(SessionStatus.Stopped, null, null, reason, null, null));
        }
    }

    /// <summary>Refuses new runs, stops the running ones and waits (up to <paramref name="wait"/>) for them to end.</summary>
    internal async Task CloseAsync(string reason, TimeSpan wait)
    {
        _closed = true;
        var running = Active;
        StopAll(reason);
        try
        {
            await Task.WhenAll(running.Select(h => h.Completion)).WaitAsync(wait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Their sessions are marked Stopped already; what is left of them ends without a store.
        }
    }

    internal sealed record RunPlan(RunRequest Request, AgentProvider Provider, string Executable, NewSession Session, string? PresetSessionId,
        Config.ProviderConfig? Settings, ClimuxRoute Route, IReadOnlyList<string> Warnings);

    /// <summary>Whether a run may go on with another provider when its own is missing or rate-limited.</summary>
    private static bool MayFallBack(RunRequest request) => !request.NoFallback && request.Resume is null && request.Config.FallbackOrder.Count > 0;

    private RunPlan Plan(RunRequest request)
    {
        var config = request.Config;
        if (request.Resume is { IsFinished: false } active)
            throw new RunRequestException(RunRequestProblem.SessionActive,
                $"Session {active.Id} is still {active.Status}; wait for it (Wait-ClimuxSession {active.Id}) before resuming it.");
        var dependsOn = new List<string>();
        foreach (var reference in request.DependsOn)
        {
            try
            {
                dependsOn.Add(_engine.Store.Resolve(reference).Id);
            }
            catch (SessionNotFoundException e)
            {
                throw new RunRequestException(RunRequestProblem.DependencyNotFound, $"-DependsOn: {e.Message}", e);
            }
        }
        var preset = Presets.Find(request.Config, request.Preset);
        request = request with
        {
            Mode = request.Mode ?? preset?.Mode ?? RunMode.Task,
            Model = request.Model ?? preset?.Model,
            Options = request.Options with
            {
                TimeoutSeconds = request.Options.TimeoutSeconds ?? preset?.Timeout,
                MaxCost = request.Options.MaxCost ?? preset?.MaxCost,
            },
        };
        var route = Routes.Resolve(config, request.Prompt, request.Resume?.Provider ?? request.Provider, request.Preset, preset?.Provider);
        var warnings = new List<string>();
        var (provider, executable) = InstalledProvider(request, route.Provider, warnings);
        if (!Directory.Exists(request.Directory))
            throw new RunRequestException(RunRequestProblem.DirectoryNotFound, $"The folder '{request.Directory}' does not exist.");
        if (request.Mode == RunMode.Plan && !provider.CanPlan)
            throw new RunRequestException(RunRequestProblem.InvalidOptions,
                $"Provider '{provider.Name}' is a command with no planArgs, so Climux cannot make it read-only. Declare providers.{provider.Name}.planArgs, or run it in Task mode.");
        if (request.Options.Unrestricted && request.Mode == RunMode.Plan)
            throw new RunRequestException(RunRequestProblem.InvalidOptions, "-Unrestricted lifts the limits of Task runs; a Plan run is read-only.");
        if (request.MergeDependencies && request.DependsOn.Count == 0)
            throw new RunRequestException(RunRequestProblem.InvalidOptions, "-MergeDependencies merges the worktrees of the -DependsOn sessions: name them with -DependsOn.");
        if (request.ResolveConflicts && !request.MergeDependencies)
            throw new RunRequestException(RunRequestProblem.InvalidOptions, "-ResolveConflicts resolves the conflicts of -MergeDependencies: add -MergeDependencies.");
        if (request.ResolveConflicts && request.Mode == RunMode.Plan)
            throw new RunRequestException(RunRequestProblem.InvalidOptions, "-ResolveConflicts has the agent edit files; a Plan run is read-only. Run it in Task mode.");
        if (request.Resume is { } parent)
        {
            if (!provider.CanResume)
                throw new RunRequestException(RunRequestProblem.CannotResume, $"Provider '{provider.Name}' cannot resume sessions (declare resumeArgs in its config).");
            if (parent.NativeSessionId is null)
                throw new RunRequestException(RunRequestProblem.CannotResume,
                    $"Session {parent.Id} has no native session id ({parent.Provider} never reported one), so it cannot be resumed.");
        }

        var settings = WithPresetArgs(config.ProviderSettings(provider.Name), preset, provider.Name);
        var model = request.Model ?? request.Resume?.Model ?? settings?.Model;
        RunInputs.CheckModel(model, request.Model is not null ? "-Model" : request.Resume?.Model is not null ? $"session {request.Resume.Id}" : $"providers.{provider.Name}.model");
        RunInputs.CheckPrompt(request.Prompt);
        try
        {
            // A command line that cannot be built (a prompt too long for the argument the config
            // gives it) is refused now, before anything is queued.
            provider.BuildCommand(new AgentInvocation
            {
                Prompt = request.Prompt, Mode = request.EffectiveMode, Model = model, WorkingDirectory = request.Directory,
                ResumeSessionId = request.Resume?.NativeSessionId, Settings = settings,
            }, executable);
        }
        catch (InvalidOperationException e)
        {
            throw new RunRequestException(RunRequestProblem.InvalidOptions, e.Message);
        }

        var presetId = request.Resume is null && provider.PresetsSessionId ? Guid.NewGuid().ToString() : null;
        var workspace = WorkspaceLocator.FindWorkspaceRoot(request.Directory);
        var worktree = request.Worktree ?? LinkedWorktreeName(request.Directory, workspace);
        var session = new NewSession
        {
            Provider = provider.Name,
            Prompt = request.Prompt,
            Directory = Path.GetFullPath(request.Directory),
            Mode = request.EffectiveMode,
            Name = request.Name,
            Model = model,
            Workspace = workspace,
            WorkspaceKey = workspace is not null && Store.IsShared ? WorkspaceIdentity.Of(workspace) : null,
            Worktree = worktree,
            ParentId = request.Resume?.Id,
            FallbackOf = request.FallbackOf,
            NativeSessionId = request.Resume?.NativeSessionId ?? presetId,
            DependsOn = dependsOn.Distinct(StringComparer.Ordinal).ToList(),
            Options = JsonSerializer.Serialize(request.Options),
            ExclusiveDirectory = worktree is not null && !request.Options.Force,
            Host = _engine.HostName,
            HostProcess = ProcessIdentity.Current,
            LeaseExpiresAt = _engine.Leases?.NewLease(),
        };
        return new RunPlan(request with { Provider = provider.Name }, provider, executable, session, presetId, settings, route, warnings);
    }

    /// <summary>The provider's settings with the preset's arguments added, when the preset is meant for this provider.</summary>
    private static Config.ProviderConfig? WithPresetArgs(Config.ProviderConfig? settings, Config.PresetConfig? preset, string provider)
    {
        if (preset?.Args is not { Count: > 0 } args || preset.Provider is { } meant && !meant.Equals(provider, StringComparison.OrdinalIgnoreCase))
            return settings;
        return new Config.ProviderConfig
        {
            Command = settings?.Command, Model = settings?.Model, Env = settings?.Env ?? new(StringComparer.Ordinal),
            Args = [.. settings?.Args ?? [], .. args], PlanArgs = settings?.PlanArgs, ResumeArgs = settings?.ResumeArgs, Output = settings?.Output,
        };
    }

    /// <summary>
    /// The provider named <paramref name="name"/> with its executable; when its CLI is not installed
    /// and the run may fall back, the next installed one of fallbackOrder, with a warning for each skipped.
    /// </summary>
    private static (AgentProvider Provider, string Executable) InstalledProvider(RunRequest request, string name, List<string> warnings)
    {
        var config = request.Config;
        var tried = request.TriedProviders.ToList();
        while (true)
        {
            var provider = AgentProviders.Find(name, config);
            var command = provider is null ? null : AgentProviders.CommandOf(provider.Name, config);
            var executable = command is null ? null : CommandResolver.Resolve(command, baseDirectory: request.Directory);
            if (provider is not null && executable is not null)
                return (provider, executable);
            var next = MayFallBack(request) ? Fallbacks.Next(config, name, tried) : null;
            var problem = provider is null
                ? $"No provider '{name}'. Known: {string.Join(", ", ProviderDirectory.Names(config))}. " +
                  $"Declare a command provider with: Set-ClimuxConfig providers.{name}.command <executable>"
                : BuiltInProviders.Find(provider.Name) is { } builtIn
                    ? $"The {provider.Name} CLI ('{command}') is not installed or not on PATH. Install it with: {builtIn.InstallCommand}" +
                      $" (or point providers.{provider.Name}.command at it)."
                    : $"The command '{command}' of provider '{provider.Name}' was not found.";
            if (next is null)
                throw new RunRequestException(provider is null ? RunRequestProblem.UnknownProvider : RunRequestProblem.ProviderNotInstalled,
                    warnings.Count == 0 ? problem : $"{problem} No provider of fallbackOrder is left to try.");
            warnings.Add($"{problem} Falling back to {next} (fallbackOrder).");
            tried.Add(name);
            name = next;
        }
    }

    private static string? LinkedWorktreeName(string directory, string? workspace)
    {
        var top = WorkspaceLocator.FindWorktreeTop(directory);
        return top is null || workspace is null || top == workspace ? null : Path.GetFileName(top);
    }

    private async Task RunAsync(RunHandle handle)
    {
        var plan = handle.Plan;
        var id = handle.SessionId;
        try
        {
            foreach (var warning in plan.Warnings)
                handle.Publish(new RunWarningUpdate(id, $"Session {id}: {warning}"));
            handle.Publish(new RunStatusUpdate(id, SessionStatus.Queued, $"Session {id} queued ({plan.Provider.Name})."));
            if (await WaitForAdmissionAsync(handle).ConfigureAwait(false))
            {
                var outcome = plan.Request.MergeDependencies
                    ? await new DependencyMerge(_engine, handle, RunAgentAsync).RunAsync().ConfigureAwait(false)
                    : await RunAgentAsync(handle, plan.Request.Prompt, []).ConfigureAwait(false);
                Finish(handle, outcome);
            }
        }
        catch (Exception e)
        {
            TryFinish(handle, new SessionOutcome(SessionStatus.Failed, null, null, $"Climux could not run the agent: {e.Message}", null, null));
        }
        finally
        {
            // Whatever happened, the session ends for its watchers and the others are woken.
            _active.TryRemove(id, out _);
            Quietly(Signal.Notify);
            var final = Quietly(() => Store.Get(id)) ?? handle.Current;
            handle.Publish(new RunStatusUpdate(id, final.Status, $"Session {id} {final.Status}" + (final.Error is null ? "." : $": {final.Error}")));
            if (handle.RateLimited && handle.StopReason is null && FallBack(handle, final) is { } next)
                final = await next.Completion.ConfigureAwait(false);
            handle.Complete(final);
        }
    }

    /// <summary>
    /// Queues and starts the same task on the next provider of fallbackOrder after <paramref name="handle"/>'s
    /// session hit a rate limit: same prompt, folder, mode, options and dependencies, through admission,
    /// linked by FallbackOf to the task's first session. Null (with a warning) when there is no next provider or it cannot be queued.
    /// </summary>
    private RunHandle? FallBack(RunHandle handle, ClimuxSession limited)
    {
        var request = handle.Plan.Request;
        if (!MayFallBack(request))
            return null;
        var tried = request.TriedProviders.Append(limited.Provider).ToList();
        if (Fallbacks.Next(request.Config, limited.Provider, tried) is not { } next)
        {
            handle.Publish(new RunWarningUpdate(limited.Id, $"Session {limited.Id}: {limited.Provider} hit its rate limit and no provider of fallbackOrder is left to try."));
            return null;
        }
        try
        {
            var hop = Queue(request with
            {
                Provider = next, Preset = null, FallbackOf = request.FallbackOf ?? limited.Id, TriedProviders = tried,
                DependsOn = limited.DependsOn, Name = limited.Name,
            });
            hop.Updated += handle.Publish;
            handle.Next = hop;
            handle.Publish(new RunWarningUpdate(limited.Id,
                $"Session {limited.Id}: {limited.Provider} hit its rate limit; the task goes on as session {hop.SessionId} with {hop.Session.Provider} (fallbackOrder)."));
            Start(hop);
            return hop;
        }
        catch (Exception e) when (e is RunRequestException or BudgetExceededException or DirectoryBusyException or StoreException or ObjectDisposedException)
        {
            handle.Publish(new RunWarningUpdate(limited.Id, $"Session {limited.Id}: {limited.Provider} hit its rate limit, and the fallback to {next} could not start: {e.Message}"));
            return null;
        }
    }

    /// <summary>Waits for a slot; false when the session ended while queued (stopped, failed dependency).</summary>
    private async Task<bool> WaitForAdmissionAsync(RunHandle handle)
    {
        var config = handle.Plan.Request.Config;
        var id = handle.SessionId;
        while (true)
        {
            if (handle.StopReason is { } localStop)
                Store.RequestStop(id, localStop);
            var change = Signal.NextChange;
            var result = Store.Admit(id, new AdmissionPolicy(_engine.WithTeamCeiling(config), _engine.OrphansNow()));
            OrphanPolicy.KillAgents(result.Reclaimed);
            var decision = result.Decision;
            switch (decision.Verdict)
            {
                case AdmissionVerdict.Admitted:
                    handle.Track(s => s with { Status = SessionStatus.Running, StartedAt = DateTimeOffset.UtcNow });
                    // The next queued session may fit too: let its process look again now.
                    Signal.Notify();
                    return true;
                case AdmissionVerdict.Stop:
                    Finish(handle, new SessionOutcome(SessionStatus.Stopped, null, null, $"Stopped before it started: {decision.Reason}", null, null));
                    return false;
                case AdmissionVerdict.DependencyFailed:
                    Finish(handle, new SessionOutcome(SessionStatus.Failed, null, null, $"Not started: {decision.Reason}.", null, null));
                    return false;
                case AdmissionVerdict.BudgetSpent:
                    Finish(handle, new SessionOutcome(SessionStatus.Failed, null, null,
                        $"Not started: the daily budget was spent while it waited ({decision.Reason}). Start it with -Force to run it anyway.", null, null));
                    return false;
                case AdmissionVerdict.Gone when handle.StopReason is null && Store.Get(id) is null && RestoreRow(handle):
                    continue;
                case AdmissionVerdict.Gone:
                    return false;
            }
            try
            {
                await StoreSignals.WaitAsync(change, RecheckInterval, handle.WakeToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stop() wakes the wait; the next look at the store finishes the session as Stopped.
            }
        }
    }

    /// <summary>Runs the agent once with <paramref name="prompt"/>; <paramref name="notes"/> go first into the transcript. Returns how it ended, for the caller to record.</summary>
    private async Task<SessionOutcome> RunAgentAsync(RunHandle handle, string prompt, IReadOnlyList<string> notes)
    {
        var plan = handle.Plan;
        var id = handle.SessionId;
        var request = plan.Request;
        var directory = plan.Session.Directory;
        var (baseCommit, branch) = Quietly(() => GitChanges.Head(directory));
        var invocation = new AgentInvocation
        {
            Prompt = prompt,
            Mode = request.EffectiveMode,
            Model = plan.Session.Model,
            Unrestricted = request.Options.Unrestricted,
            WorkingDirectory = directory,
            ResumeSessionId = request.Resume?.NativeSessionId,
            PresetSessionId = plan.PresetSessionId,
            InGitRepository = baseCommit is not null || plan.Session.Workspace is not null,
            Settings = plan.Settings,
        };
        var commandLine = plan.Provider.BuildCommand(invocation, plan.Executable);
        var parser = plan.Provider.CreateParser(invocation);
        var pricing = new PricingTable(request.Config);
        var home = _engine.Home;
        var logs = home.LogsDirectory;
        home.EnsureCreated();
        var stdoutLog = Path.Combine(logs, $"{id}.out.log");

        using var timeout = request.Options.TimeoutSeconds is { } seconds ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : new CancellationTokenSource();
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(handle.KillToken, timeout.Token);
        using var watching = new CancellationTokenSource();
        var recorder = new TranscriptRecorder(Store, handle, () => RestoreRow(handle));
        handle.Recorder = recorder;
        string? overBudget = null;
        string? remoteStop = null;
        var lastProgress = DateTime.MinValue;
        SessionProgress Progress() => ProgressOf(parser.Observation, pricing, plan.Session.Model);

        // Numbers the observation refused are said to the user as well as kept in the transcript.
        void Record(IReadOnlyList<TranscriptEntry> entries)
        {
            recorder.Record(entries);
            foreach (var refused in entries.Where(e => e.Data == RunObservation.RefusedData))
                handle.Publish(new RunWarningUpdate(id, $"Session {id}: {TerminalText.Clean(refused.Text)}"));
        }

        // A CLI that retries a rate limit for minutes is stopped after fallback.afterRetries retries, when another provider can take over.
        var stopAfterRetries = Math.Max(1, request.Config.Fallback.AfterRetries);
        var canFallBack = MayFallBack(request) && Fallbacks.Next(request.Config, plan.Provider.Name, request.TriedProviders) is not null;
        string? rateLimit = null;
        void CheckRateLimit()
        {
            var retries = parser.Observation.RateLimitRetries;
            if (!canFallBack || rateLimit is not null || retries < stopAfterRetries)
                return;
            rateLimit = Fallbacks.RateLimitError(plan.Provider.Name, $"it was still retrying after {retries} attempts (fallback.afterRetries {request.Config.Fallback.AfterRetries}), so Climux stopped it.");
            kill.Cancel();
        }

        void OnErrorLine(string line)
        {
            lock (parser)
            {
                Record(parser.ReadErrorLine(line));
                CheckRateLimit();
            }
        }

        void OnLine(string line, bool truncated)
        {
            lock (parser)
                ReadOutputLine(line, truncated);
        }

        void ReadOutputLine(string line, bool truncated)
        {
            var entries = parser.ReadLine(line).ToList();
            if (truncated)
                entries.Add(new TranscriptEntry(SessionEventKind.Error, Text: $"An output line longer than {AgentProcess.MaxLineBytes / 1024 / 1024} MiB was cut short."));
            Record(entries);
            CheckRateLimit();
            var important = entries.Any(e => e.Kind is SessionEventKind.Init or SessionEventKind.Result or SessionEventKind.Usage);
            if (entries.Count == 0 || (!important && DateTime.UtcNow - lastProgress < TimeSpan.FromMilliseconds(500)))
                return;
            lastProgress = DateTime.UtcNow;
            var progress = Progress();
            handle.Track(s => WithProgress(s, progress));
            // A store too busy to take the live numbers now gets them with the next update or at the end.
            Quietly(() => Write(handle, () => Store.UpdateProgress(id, progress)));
            if (request.Options.MaxCost is { } max && progress.CostUsd > max && overBudget is null)
            {
                overBudget = $"Its cost (${progress.CostUsd:0.####}) passed -MaxCost ${max:0.####}; the agent was stopped.";
                kill.Cancel();
            }
        }

        // A Stop-ClimuxSession from another process, asked for at any moment of the run; and a
        // row gone from the store (deleted with its file) is written again without waiting for output.
        async Task WatchForStopAsync()
        {
            while (!watching.IsCancellationRequested)
            {
                var change = Signal.NextChange;
                if (Quietly(() => Store.StopRequested(id)) is { } reason)
                {
                    remoteStop = reason;
                    kill.Cancel();
                    return;
                }
                Quietly(() => Store.Get(id) is not null || RestoreRow(handle));
                await StoreSignals.WaitAsync(change, RecheckInterval, watching.Token).ConfigureAwait(false);
            }
        }

        try
        {
            AgentExit exit;
            Task? watcher = null;
            try
            {
                recorder.Record([.. notes.Select(note => new TranscriptEntry(SessionEventKind.Status, Text: note))]);
                recorder.Record([new TranscriptEntry(SessionEventKind.Status, Text: $"Starting {plan.Provider.Name}: {plan.Executable} in {directory}")]);
                exit = await AgentProcess.RunAsync(commandLine, directory, stdoutLog, Path.Combine(logs, $"{id}.err.log"),
                    pid =>
                    {
                        var agent = ProcessIdentity.Of(pid) ?? new ProcessIdentity(pid, 0);
                        handle.Agent = agent;
                        var start = new AgentStart(agent, baseCommit, branch, stdoutLog, plan.PresetSessionId, _engine.Leases?.NewLease());
                        handle.Track(s => s with
                        {
                            Status = SessionStatus.Running, Pid = agent.Pid, PidStart = agent.StartTime, BaseCommit = baseCommit,
                            Branch = branch ?? s.Branch, LogPath = stdoutLog, NativeSessionId = plan.PresetSessionId ?? s.NativeSessionId,
                            StartedAt = s.StartedAt ?? DateTimeOffset.UtcNow,
                        });
                        Write(handle, () => Store.MarkRunning(id, start));
                        handle.Publish(new RunStatusUpdate(id, SessionStatus.Running, $"Session {id} running: {plan.Provider.Name} (pid {pid})."));
                        watcher = Task.Run(WatchForStopAsync);
                    },
                    OnLine, kill.Token, OnErrorLine).ConfigureAwait(false);
                Record(parser.Complete());
                if (exit.EndedLeftovers)
                    recorder.Record([new TranscriptEntry(SessionEventKind.Status, Text: "The agent left processes running (in its process group); they were ended with its session.")]);
            }
            finally
            {
                await watching.CancelAsync().ConfigureAwait(false);
                try
                {
                    if (watcher is not null)
                        await watcher.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
                await recorder.FlushAsync().ConfigureAwait(false);
            }

            var observation = parser.Observation;
            var (_, unknownModels) = pricing.Cost(observation.UsageByModel);
            if (observation.ReportedCostUsd is null)
            {
                foreach (var model in unknownModels)
                {
                    var warning = model.Length == 0
                        ? $"{plan.Provider.Name} did not say which model it used, so the cost of its tokens counts as 0. Name the model with -Model or providers.{plan.Provider.Name}.model."
                        : $"No price is known for model '{model}': its cost counts as 0. Set one with: Set-ClimuxConfig pricing.{model}.input <USD per 1M tokens>";
                    recorder.Record([new TranscriptEntry(SessionEventKind.Error, Text: warning)]);
                    if (_warnedModels.TryAdd(model, 0))
                        handle.Publish(new RunWarningUpdate(id, TerminalText.Clean(warning)!));
                }
            }

            // Killed by us: say why. Ended by itself: its own exit decides, unless another process's
            // stop killed it (a non-zero exit after a stop request).
            var stopRequest = exit.Killed ? null : exit.ExitCode is not 0 ? Quietly(() => Store.StopRequested(id)) : null;
            var (status, error) = true switch
            {
                _ when exit.Killed && overBudget is not null => (SessionStatus.Failed, overBudget),
                _ when exit.Killed && rateLimit is not null => (SessionStatus.Failed, rateLimit),
                _ when !exit.Killed && observation.RateLimited => (SessionStatus.Failed,
                    Fallbacks.RateLimitError(plan.Provider.Name, observation.ErrorText ?? "the CLI gave up retrying.")),
                _ when exit.Killed && (handle.StopReason ?? remoteStop) is { } reason => (SessionStatus.Stopped, reason),
                _ when exit.Killed && timeout.IsCancellationRequested => (SessionStatus.TimedOut, $"It ran longer than -Timeout {request.Options.TimeoutSeconds} s; the agent was stopped."),
                _ when stopRequest is not null => (SessionStatus.Stopped, stopRequest),
                _ when exit.ExitCode is not 0 => (SessionStatus.Failed, observation.ErrorText ?? FirstLines(exit.StandardErrorTail) ?? $"The agent exited with code {exit.ExitCode}."),
                _ when observation.ResultIsError => (SessionStatus.Failed, observation.ErrorText ?? "The agent reported an error."),
                _ => (SessionStatus.Completed, (string?)null),
            };
            var diff = baseCommit is null ? null : Quietly(() => GitChanges.Measure(directory, baseCommit));
            // The agent's words as they may be stored and shown: no control sequences, the result's end.
            error = TerminalText.Clean(TerminalText.KeepStart(error, 64 * 1024));
            var result = TerminalText.Clean(TerminalText.KeepEnd(observation.ResultText, TranscriptRecorder.MaxEntryBytes));
            recorder.Record([new TranscriptEntry(SessionEventKind.Status, Text: $"{status}" + (exit.ExitCode is { } code ? $" (exit code {code})" : " (killed)") + (error is null ? "" : $": {error}"))]);
            await recorder.FlushAsync().ConfigureAwait(false);
            handle.RateLimited = status == SessionStatus.Failed && (rateLimit is not null || observation.RateLimited);
            return new SessionOutcome(status, exit.ExitCode, result, error, Progress(), diff);
        }
        finally
        {
            await recorder.FlushAsync(last: true).ConfigureAwait(false);
        }
    }

    private static SessionProgress ProgressOf(RunObservation observation, PricingTable pricing, string? requestedModel)
    {
        var reported = observation.ReportedCostUsd;
        var source = reported is not null ? CostSource.Reported : observation.Usage.Total > 0 ? CostSource.Computed : (CostSource?)null;
        return new SessionProgress(TerminalText.Clean(observation.NativeSessionId), TerminalText.Clean(observation.Model) ?? requestedModel, observation.Usage,
            reported ?? pricing.Cost(observation.UsageByModel).Cost, source, observation.Turns);
    }

    private static ClimuxSession WithProgress(ClimuxSession s, SessionProgress p) => s with
    {
        NativeSessionId = p.NativeSessionId ?? s.NativeSessionId, Model = p.Model ?? s.Model,
        InputTokens = p.Usage.Input, OutputTokens = p.Usage.Output, CacheReadTokens = p.Usage.CacheRead, CacheWriteTokens = p.Usage.CacheWrite,
        CostUsd = p.CostUsd, CostSource = p.CostSource, Turns = p.Turns,
    };

    private static ClimuxSession WithOutcome(ClimuxSession s, SessionOutcome o) => (o.Progress is { } p ? WithProgress(s, p) : s) with
    {
        Status = o.Status, ExitCode = o.ExitCode, Result = o.Result, Error = o.Error, EndedAt = DateTimeOffset.UtcNow, Pid = null,
        FilesChanged = o.Diff?.FilesChanged, LinesAdded = o.Diff?.LinesAdded, LinesRemoved = o.Diff?.LinesRemoved,
    };

    /// <summary>Records how the session ended, in the store and in what this process holds of it.</summary>
    private void Finish(RunHandle handle, SessionOutcome outcome)
    {
        handle.Track(s => WithOutcome(s, outcome));
        // A row gone missing is written again whole, outcome included.
        if (!Store.Finish(handle.SessionId, outcome))
            RestoreRow(handle);
    }

    /// <summary>Writes through <paramref name="write"/>; when the session's row is gone, writes the row again and tries once more.</summary>
    private bool Write(RunHandle handle, Func<bool> write) => write() || RestoreRow(handle) && write();

    /// <summary>
    /// The session's row is gone (its store was deleted or replaced while it ran): writes it again
    /// from what this process holds of it, so that its final status is never lost, and says so.
    /// </summary>
    private bool RestoreRow(RunHandle handle)
    {
        if (!Store.Restore(handle.Current))
            return Store.Get(handle.SessionId) is not null;
        var warning = $"The store lost the record of session {handle.SessionId} while it ran (was {Path.GetFileName(Store.Location)} deleted?); " +
                      "Climux wrote it again from what this process held. Transcript entries stored before that are lost; the raw log has them.";
        handle.Recorder?.Record([new TranscriptEntry(SessionEventKind.Warning, Text: warning)]);
        handle.Publish(new RunWarningUpdate(handle.SessionId, warning));
        Quietly(Signal.Notify);
        return true;
    }

    private static string? FirstLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? null : string.Join(" ", lines.TakeLast(5));
    }

    /// <summary>Best effort: what must not stop a run from being finished and reported (a busy store, a broken git folder).</summary>
    private static T? Quietly<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception)
        {
            return default;
        }
    }

    private static void Quietly(Action work) => Quietly<object?>(() => { work(); return null; });

    private void TryFinish(RunHandle handle, SessionOutcome outcome) =>
        Quietly(() =>
        {
            if (Store.Get(handle.SessionId) is not { IsFinished: true })
                Finish(handle, outcome);
        });
}
