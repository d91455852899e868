using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Stops queued or running sessions, killing the agent's whole process tree, in this or any other PowerShell process.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "ClimuxSession", SupportsShouldProcess = true)]
[OutputType(typeof(ClimuxSession))]
public sealed class StopClimuxSessionCommand : ClimuxCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>Outputs each session once it has stopped.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var repository = Sessions();
        foreach (var reference in Id)
        {
            if (ResolveSession(repository, reference) is not { } session)
                continue;
            if (session.IsFinished)
            {
                WriteVerbose($"Session {session.Id} has already finished ({session.Status}).");
                if (PassThru)
                    WriteObject(session);
                continue;
            }
            if (!ShouldProcess($"{session.Id} ({session.Provider}, {session.Status})", "Stop the session and kill its agent's process tree"))
                continue;
            var stopped = SessionControl.StopAsync(Home, session.Id, "Stopped with Stop-ClimuxSession.", TimeSpan.FromSeconds(30), PipelineStopToken)
                .GetAwaiter().GetResult();
            if (PassThru)
                WriteObject(stopped);
        }
    }
}
