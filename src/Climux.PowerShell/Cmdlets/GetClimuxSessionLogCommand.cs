using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows a session's transcript: messages, tool calls and results, usage; -Follow keeps showing new entries until it ends.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClimuxSessionLog")]
[OutputType(typeof(ClimuxSessionEvent))]
public sealed class GetClimuxSessionLogCommand : ClimuxCmdlet
{
    /// <summary>How often -Follow looks for new entries.</summary>
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>Keeps waiting for new entries until the session has finished.</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>Only these kinds of entries (Message, ToolCall, ToolResult, …).</summary>
    [Parameter]
    public SessionEventKind[]? Kind { get; set; }

    protected override void ProcessRecord()
    {
        var repository = Sessions();
        foreach (var reference in Id)
        {
            if (ResolveSession(repository, reference) is not { } session)
                continue;
            long last = 0;
            while (true)
            {
                var finished = repository.Get(session.Id) is not { IsFinished: false };
                foreach (var e in repository.Events(session.Id, last))
                {
                    last = e.Sequence;
                    if (Kind is null || Kind.Contains(e.Kind))
                        WriteObject(e);
                }
                if (!Follow || finished)
                    break;
                try
                {
                    Task.Delay(FollowInterval, PipelineStopToken).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
