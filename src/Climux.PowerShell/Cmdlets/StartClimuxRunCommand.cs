using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Workspaces;
using Climux.Core.Worktrees;
using Climux.PowerShell.Completion;
using Climux.PowerShell.Jobs;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Queues an agent run and returns at once with its job (or, with -Wait, the finished session).</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ClimuxRun")]
[OutputType(typeof(ClimuxRunJob), typeof(ClimuxSession))]
public sealed class StartClimuxRunCommand : RunCmdletBase
{
    /// <summary>The task for the agent, passed to it verbatim. Several prompts from the pipeline start several runs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Prompt { get; set; } = "";

    /// <summary>claude-code, codex, gemini-cli, opencode or a declared command; default: defaultProvider.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string? Provider { get; set; }

    /// <summary>Task: edits in the worktree (the CLI's safe write mode). Plan: read-only.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public RunMode Mode { get; set; } = RunMode.Task;

    /// <summary>The worktree (of the workspace) to run in, by name; one active run per worktree unless -Force.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(WorktreeNameCompleter))]
    public string? Worktree { get; set; }

    /// <summary>The repository to run in; default: the current location.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Workspace { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Model { get; set; }

    /// <summary>Sessions (ids, names, sessions or jobs) that must complete first; if one does not, this run fails without starting.</summary>
    [Parameter]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[]? DependsOn { get; set; }

    /// <summary>A name for the session (and its job), usable wherever an id is.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    /// <summary>Lets the agent act without its sandbox or permission checks (the CLIs' bypass flags). Never the default.</summary>
    [Parameter]
    public SwitchParameter Unrestricted { get; set; }

    protected override void ProcessRecord()
    {
        var directory = ResolveDirectory();
        if (directory is null)
            return;
        var repository = Sessions();
        var dependsOn = new List<string>();
        foreach (var reference in DependsOn ?? [])
        {
            try
            {
                dependsOn.Add(repository.Resolve(reference).Id);
            }
            catch (SessionNotFoundException e)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"-DependsOn: {e.Message}", e), ErrorIds.DependencyNotFound, ErrorCategory.ObjectNotFound, reference));
                return;
            }
        }

        Launch(new RunRequest
        {
            Home = Home,
            Config = LoadConfig().Config,
            Prompt = Prompt,
            Directory = directory,
            Provider = Provider,
            Mode = Mode,
            Model = Model,
            Name = Name,
            Worktree = Worktree,
            DependsOn = dependsOn,
            Options = Options(Unrestricted),
        }, Name);
    }

    private string? ResolveDirectory()
    {
        var baseDirectory = Workspace is null ? CurrentDirectory : GetUnresolvedProviderPathFromPSPath(Workspace);
        if (Worktree is null)
            return Workspace is null ? baseDirectory : WorkspaceLocator.FindWorkspaceRoot(baseDirectory) ?? baseDirectory;
        var workspace = WorkspaceLocator.FindWorkspaceRoot(baseDirectory);
        var path = workspace is null ? null : new WorktreeManager(Home, LoadConfig().Config, workspace).PathOf(Worktree);
        if (path is null)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException(workspace is null
                    ? $"'{baseDirectory}' is not in a git repository, so it has no worktree '{Worktree}'."
                    : $"The repository '{workspace}' has no worktree '{Worktree}'. Create it with: New-ClimuxWorktree {Worktree}"),
                ErrorIds.DirectoryNotFound, ErrorCategory.ObjectNotFound, Worktree));
            return null;
        }
        return path;
    }
}
