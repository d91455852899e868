using System.Management.Automation;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Shows a session's transcript: messages, tool calls and results, usage and status notes; -Follow keeps showing new entries until the session ends.</summary>
/// <remarks>
/// <para>Outputs the session's ClimuxSessionEvent entries in order: SessionId, Sequence, At, Kind
/// (Status, Init, Message, ToolCall, ToolResult, Usage, Result, Error, Output or Warning), Role, Tool, Text and
/// Data (JSON detail such as a tool's input or usage numbers). Entries are stored as the agent prints
/// them, so a running session's transcript can be read, or followed with -Follow, from any PowerShell
/// process. The store keeps the first 20,000 entries of a session; the raw output is in the file named by
/// the session's LogPath ($CLIMUX_HOME/logs/&lt;id&gt;.out.log).</para>
/// <para>Entries are shown as stored, without redaction; Export-ClimuxSession writes a copy with API
/// keys redacted. A reference that matches no session writes a non-terminating ClimuxSessionNotFound
/// error.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxSessionLog bug-123 -Follow</code>
/// <para>Shows the transcript of the session named bug-123 so far, then each new entry as it arrives, and returns when the session ends.</para>
/// </example>
/// <example>
/// <code>$job = Start-ClimuxRun 'Move the config loader to YAML' -Worktree refactor-config
/// $job | Get-ClimuxSessionLog -Follow -Kind Message, ToolCall</code>
/// <para>Starts a run and follows only the agent's messages and tool calls.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxSessionLog k3v9x2ma -Kind ToolCall | Group-Object Tool | Sort-Object Count -Descending</code>
/// <para>Counts which tools the agent called in session k3v9x2ma.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxSession -Last 1 | Get-ClimuxSessionLog -Kind Result | ForEach-Object Text</code>
/// <para>Prints the final answer of the newest session.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ClimuxSessionLog")]
[OutputType(typeof(ClimuxSessionEvent))]
public sealed class GetClimuxSessionLogCommand : ClimuxCmdlet
{
    /// <summary>
    /// Sessions whose transcript to show: ids, names, id prefixes (4 characters or more), ClimuxSession
    /// objects or ClimuxRun jobs; several are shown one after another.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>
    /// Keeps looking for new entries, every 250 ms, until the session has finished; Ctrl+C stops it
    /// sooner. Several sessions are followed one after another.
    /// </summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>
    /// Only entries of these kinds: Status, Init, Message, ToolCall, ToolResult, Usage, Result, Error,
    /// Output or Warning. All kinds when omitted.
    /// </summary>
    [Parameter]
    public SessionEventKind[]? Kind { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var reference in Id)
        {
            if (ResolveSession(reference) is not { } session)
                continue;
            foreach (var e in Engine.Sessions.Log(session.Id, Follow, PipelineStopToken))
                if (Kind is null || Kind.Contains(e.Kind))
                    WriteObject(e);
            if (PipelineStopToken.IsCancellationRequested)
                return;
        }
    }
}
