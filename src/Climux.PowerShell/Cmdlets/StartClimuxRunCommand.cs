using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Workspaces;
using Climux.PowerShell.Completion;
using Climux.PowerShell.Jobs;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Queues an agent run and returns at once with its job, or with -Wait blocks and outputs the finished session.</summary>
/// <remarks>
/// <para>Start-ClimuxRun records a new session (status Queued) in the store and starts the agent CLI in
/// the background once the machine-wide quotas allow it (concurrency.maxActiveSessions and
/// concurrency.maxSessionsPerWorkspace, held across every PowerShell process; the oldest queued run that
/// can start goes first) and every -DependsOn session has completed. The agent runs in the folder of
/// -Worktree, else at the top of the -Workspace repository, else in the current location, started with
/// an argument array, never through a shell. Task runs edit files in the CLI's safe write mode; Plan
/// runs are read-only.</para>
/// <para>Without -Wait it outputs a ClimuxRun job at once: Get-Job, Wait-Job, Receive-Job, Stop-Job and
/// Remove-Job work on it, its SessionId is the session's id, and it stays NotStarted while the run is
/// queued. Receive-Job returns the finished ClimuxSession; the agent's events arrive on the job's
/// information stream. With -Wait it outputs the finished sessions instead. The runs belong to this
/// PowerShell process: when it exits they are stopped, and if it dies the next Climux command marks
/// their sessions Orphaned and kills their agents.</para>
/// <para>A run ends Completed, Failed (non-zero exit, the CLI's own error result, a dependency that did
/// not complete, -MaxCost passed, or the daily budget spent while it was queued), TimedOut (-Timeout) or
/// Stopped (Stop-ClimuxSession, Stop-Job, Ctrl+C with -Wait). Failed, TimedOut and Orphaned runs write
/// ClimuxRunFailed or ClimuxRunTimedOut: in the job's error stream, or after the session with -Wait.</para>
/// <para>It supports -WhatIf and -Confirm: a run spends money and edits files. -WhatIf checks the request
/// (its refusals are reported) and says what would start, starting nothing.</para>
/// <para>Refusals, each non-terminating and skipping only that run: ClimuxProviderNotFound,
/// ClimuxProviderNotInstalled (the message says how to install the CLI), ClimuxDirectoryNotFound (no
/// such worktree or folder), ClimuxWorktreeBusy (another session is active in the worktree),
/// ClimuxDependencyNotFound and ClimuxInvalidRunOptions (-Unrestricted with -Mode Plan; a model, from
/// -Model or providers.&lt;name&gt;.model, that starts with '-' or holds whitespace or control
/// characters, which the CLI could read as an option; a prompt holding a NUL character). Once today's
/// budget is spent a terminating ClimuxBudgetExceeded error stops the command unless -Force; past
/// monitoring.alertThreshold the run starts with a warning.</para>
/// </remarks>
/// <example>
/// <code>$job = Start-ClimuxRun 'Add rate limiting to the login endpoint' -Provider claude-code -Worktree feature-login
/// $job | Wait-Job | Receive-Job</code>
/// <para>Starts Claude Code in the feature-login worktree and gets its job back at once; later waits for the job and receives the finished session, with its status, tokens, cost and result.</para>
/// </example>
/// <example>
/// <code>$jobs = foreach ($bug in 123, 124, 125) {
///     New-ClimuxWorktree "bugfix-$bug" | Out-Null
///     Start-ClimuxRun "Fix issue #$bug" -Provider codex -Worktree "bugfix-$bug" -Name "bug-$bug"
/// }
/// $jobs | Wait-ClimuxSession</code>
/// <para>Gives each bug its own worktree and a named codex run, all running in parallel within the quotas, then waits for them and outputs the three sessions.</para>
/// </example>
/// <example>
/// <code>$a = Start-ClimuxRun 'Extract the model layer' -Provider claude-code -Worktree refactor-models
/// $b = Start-ClimuxRun 'Extract the view layer' -Provider opencode -Worktree refactor-views
/// Start-ClimuxRun 'Update the callers to the new layers' -Provider codex -DependsOn $a, $b -Wait -InformationAction Continue</code>
/// <para>Runs two refactorings in parallel, then a third run that starts only once both have completed, showing its events as they arrive. If either ends otherwise, the third ends Failed without starting.</para>
/// </example>
/// <example>
/// <code>$phase1 = 'models', 'views' | ForEach-Object { New-ClimuxWorktree "refactor-$_" | Out-Null; Start-ClimuxRun "Refactor the $_" -Worktree "refactor-$_" }
/// New-ClimuxWorktree integrate | Out-Null
/// Start-ClimuxRun 'Integrate the refactored modules' -Worktree integrate -DependsOn $phase1 -MergeDependencies -ResolveConflicts -Wait</code>
/// <para>Phase 2 starts once both phase-1 runs have completed, on a worktree into which their branches were merged first; a conflict is resolved by the phase-2 agent before its task.</para>
/// </example>
/// <example>
/// <code>Start-ClimuxRun 'Review the error handling in src/api and list the risks' -Provider gemini-cli -Mode Plan -Wait |
///     Select-Object -ExpandProperty Result</code>
/// <para>Runs Gemini CLI read-only in the current folder and prints its final answer.</para>
/// </example>
/// <example>
/// <code>try {
///     Start-ClimuxRun 'Upgrade the test framework' -Worktree experiment-xunit3 -Timeout 1800 -MaxCost 2.50 -Wait -ErrorAction Stop
/// } catch {
///     $_.FullyQualifiedErrorId
/// }</code>
/// <para>Gives the run 30 minutes and 2.50 USD. When it does not complete, or today's budget is already spent, the catch block prints an id such as ClimuxRunTimedOut,Climux.PowerShell.Cmdlets.StartClimuxRunCommand, ClimuxRunFailed or ClimuxBudgetExceeded.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Start, "ClimuxRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClimuxRunJob), typeof(ClimuxSession))]
public sealed class StartClimuxRunCommand : RunCmdletBase
{
    /// <summary>
    /// The task for the agent, passed to it verbatim (no shell sees it). Each prompt from the pipeline
    /// starts its own run.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Prompt { get; set; } = "";

    /// <summary>
    /// The agent: claude-code, codex, gemini-cli, opencode, qwen-code, or a command declared under providers: in
    /// the config (Get-ClimuxProvider lists them). Default: the defaultProvider setting, claude-code
    /// unless changed.
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string? Provider { get; set; }

    /// <summary>
    /// Task (the default): the agent edits files in its folder, in the CLI's own safe write mode (Claude
    /// Code acceptEdits, Codex workspace-write sandbox, Gemini CLI auto_edit, OpenCode build agent). Plan:
    /// read-only (Claude Code plan, Codex read-only sandbox, Gemini CLI default approval, OpenCode plan
    /// agent). A command provider gets its planArgs for Plan, or its args when it has none, so whether it
    /// stays read-only is up to that command.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public RunMode Mode { get; set; } = RunMode.Task;

    /// <summary>
    /// The worktree to run in, by its name in Get-ClimuxWorktree (or git's name for it, or its folder's
    /// name), in the repository of -Workspace or else of the current location. While another session is
    /// queued or running in that worktree the run is refused (ClimuxWorktreeBusy) unless -Force.
    /// Default: no worktree.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(WorktreeNameCompleter))]
    public string? Worktree { get; set; }

    /// <summary>
    /// A folder of the git repository to run in, or @name for a workspace alias from the workspaces:
    /// config (so a run can be started from anywhere; an unknown alias writes ClimuxWorkspaceAliasNotFound):
    /// the run uses the top of the repository's main worktree (or the folder itself outside git). With
    /// -Worktree, the repository whose worktree is meant. Default: the current location, as it is.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(WorkspaceAliasCompleter))]
    public string? Workspace { get; set; }

    /// <summary>
    /// The model to ask the agent for. Default: providers.&lt;name&gt;.model, else the CLI's own default.
    /// A name that starts with '-' or holds whitespace or control characters is refused
    /// (ClimuxInvalidRunOptions): the CLI would read it as an option.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Model { get; set; }

    /// <summary>
    /// Sessions that must complete first: ids, names, id prefixes, sessions or jobs. The run stays Queued,
    /// holding no slot, until all of them have completed; if one ends otherwise or is removed, the run
    /// ends Failed without starting. A reference that matches no session is refused
    /// (ClimuxDependencyNotFound).
    /// </summary>
    [Parameter]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[]? DependsOn { get; set; }

    /// <summary>
    /// Once the -DependsOn sessions have completed and before the agent starts, merges the branches of their
    /// worktrees into this run's worktree (or checked-out branch), in -DependsOn order, with the same merge queue as
    /// Merge-ClimuxWorktree, so the agent sees their work. A conflict fails the run before its agent starts, the error
    /// naming the paths and worktrees (unless -ResolveConflicts); so does a dependency that ran outside any worktree, or
    /// did not complete, and a run folder with uncommitted changes.
    /// </summary>
    [Parameter]
    public SwitchParameter MergeDependencies { get; set; }

    /// <summary>
    /// With -MergeDependencies: a conflicting merge is left in the worktree and the run's own agent is asked to resolve
    /// it first (its prompt lists the conflicted files and what each side was for), then to do its task. Climux checks
    /// that no conflict markers and no unmerged entries remain and commits the merge with both parents; otherwise the
    /// merge is undone and the run ends Failed. Only the last dependency merged may conflict.
    /// </summary>
    [Parameter]
    public SwitchParameter ResolveConflicts { get; set; }

    /// <summary>
    /// A name for the session, usable wherever a session id is, and for its job (otherwise named after the
    /// session id). A name given again moves to the newer session.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    /// <summary>
    /// Lets the agent act without its sandbox or permission checks, through the CLI's bypass flag (Claude
    /// Code bypassPermissions, Codex --dangerously-bypass-approvals-and-sandbox, Gemini CLI yolo, OpenCode
    /// --auto). Task runs only: with -Mode Plan it is refused (ClimuxInvalidRunOptions). Never the default.
    /// It asks for confirmation first, as a high-impact action does, unless -Force, -Confirm:$false or
    /// $ConfirmPreference = 'None'; where no one can answer (pwsh -NonInteractive) the run is refused with
    /// ClimuxInvalidRunOptions instead.
    /// </summary>
    [Parameter]
    public SwitchParameter Unrestricted { get; set; }

    /// <summary>
    /// A name under presets: in the config, whose provider, mode, model, timeout, maxCost and args the run
    /// takes; a parameter given here wins over the preset's value. An unknown name is refused
    /// (ClimuxPresetNotFound). Tab completion lists the presets.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    public string? Preset { get; set; }

    /// <summary>
    /// No fallback for this run: when its provider's CLI is not installed the run is refused
    /// (ClimuxProviderNotInstalled), and when it hits the provider's rate limit it ends Failed, instead of
    /// going on with the next provider of fallbackOrder.
    /// </summary>
    [Parameter]
    public SwitchParameter NoFallback { get; set; }

    protected override void ProcessRecord()
    {
        var config = LoadConfig().Config;
        string directory;
        try
        {
            directory = Engine.ResolveRunDirectory(CurrentDirectory, Workspace is null ? null : WorkspaceArgument(Workspace), Worktree, config);
        }
        catch (WorkspaceAliasNotFoundException e)
        {
            WriteError(new ErrorRecord(e, ErrorIds.WorkspaceAliasNotFound, ErrorCategory.ObjectNotFound, Workspace));
            return;
        }
        catch (RunRequestException e)
        {
            WriteError(new ErrorRecord(e, ErrorIds.DirectoryNotFound, ErrorCategory.ObjectNotFound, Worktree));
            return;
        }

        Launch(new RunRequest
        {
            Config = config,
            Prompt = Prompt,
            Directory = directory,
            Provider = Provider,
            Mode = MyInvocation.BoundParameters.ContainsKey(nameof(Mode)) ? Mode : null,
            Model = Model,
            Preset = Preset,
            NoFallback = NoFallback,
            Name = Name,
            Worktree = Worktree,
            DependsOn = DependsOn ?? [],
            MergeDependencies = MergeDependencies,
            ResolveConflicts = ResolveConflicts,
            Options = Options(Unrestricted),
        }, Name, $"Start an agent run: {ClimuxSession.Abbreviate(Prompt, 60)}");
    }
}
