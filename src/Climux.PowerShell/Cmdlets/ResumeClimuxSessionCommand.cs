using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Completion;
using Climux.PowerShell.Jobs;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Continues a finished session's conversation with the agent's own resume, in the same folder, as a new linked session.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "ClimuxSession")]
[OutputType(typeof(ClimuxRunJob), typeof(ClimuxSession))]
public sealed class ResumeClimuxSessionCommand : RunCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string Id { get; set; } = "";

    /// <summary>What to tell the agent next.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Prompt { get; set; } = "Continue where you left off.";

    /// <summary>Another model for the continuation; default: the session's.</summary>
    [Parameter]
    public string? Model { get; set; }

    /// <summary>Default: the session's mode.</summary>
    [Parameter]
    public RunMode? Mode { get; set; }

    [Parameter]
    public SwitchParameter Unrestricted { get; set; }

    protected override void ProcessRecord()
    {
        var repository = Sessions();
        var parent = ResolveSession(repository, Id);
        if (parent is null)
            return;
        if (!parent.IsFinished)
        {
            WriteError(new ErrorRecord(new InvalidOperationException($"Session {parent.Id} is still {parent.Status}; wait for it (Wait-ClimuxSession {parent.Id}) before resuming it."),
                ErrorIds.SessionActive, ErrorCategory.ResourceBusy, parent));
            return;
        }
        Launch(new RunRequest
        {
            Home = Home,
            Config = LoadConfig().Config,
            Prompt = Prompt,
            Directory = parent.Directory,
            Mode = Mode ?? parent.Mode,
            Model = Model,
            Worktree = parent.Worktree,
            Name = null,
            Options = Options(Unrestricted),
            Resume = parent,
        }, null);
    }
}
