using System.Management.Automation;
using Climux.Core.Sessions;
using Climux.Core.Workspaces;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Lists sessions: every agent run on this machine, queued, running or finished, from any PowerShell process.</summary>
/// <remarks>
/// <para>Get-ClimuxSession reads the shared store and outputs ClimuxSession objects, oldest first: Id,
/// Name, Provider, Model, Mode, Status, Prompt, Workspace, Worktree, Directory, Branch, NativeSessionId,
/// ResumeCommand, ParentId, DependsOn, Pid, ExitCode, QueuedAt, StartedAt, EndedAt, Duration (seconds, a number), tokens by
/// kind, CostUsd and CostSource, Turns, FilesChanged, LinesAdded, LinesRemoved, Result and Error. Queued
/// and running sessions show their tokens and cost so far. Before reading, it marks Orphaned every
/// session whose PowerShell process has died, and kills that session's agent.</para>
/// <para>The filters -Status, -Provider, -Workspace, -Worktree and -Last combine, and also apply to the
/// sessions named by -Id. Each -Id value is an exact id, a name, an id prefix of 4 or more characters, a
/// session or a job, or a wildcard pattern matched against ids and names. A value without wildcards that
/// matches no session, or several, writes a non-terminating ClimuxSessionNotFound error.</para>
/// <para>The output pipes into Wait-ClimuxSession, Stop-ClimuxSession, Remove-ClimuxSession,
/// Resume-ClimuxSession, Get-ClimuxSessionLog and Export-ClimuxSession.</para>
/// </remarks>
/// <example>
/// <code>Get-ClimuxSession -Status Running, Queued</code>
/// <para>Shows every live session on the machine, whichever PowerShell process started it, with its tokens and cost so far.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxSession -Workspace . -Last 5 | Format-Table Id, Provider, Status, CostUsd, Prompt</code>
/// <para>Shows the five newest sessions of the current repository, in any of its worktrees.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxSession bug-* | Select-Object Name, Status, FilesChanged, Result</code>
/// <para>Shows the sessions whose name or id matches bug-*, such as runs started with -Name bug-123.</para>
/// </example>
/// <example>
/// <code>Get-ClimuxSession -Status Failed, TimedOut -Provider codex | Select-Object Id, Worktree, Error</code>
/// <para>Lists the codex runs that did not complete, with the reason each one ended.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ClimuxSession")]
[OutputType(typeof(ClimuxSession))]
public sealed class GetClimuxSessionCommand : ClimuxCmdlet
{
    /// <summary>
    /// Sessions to show: ids, names, id prefixes (4 characters or more), ClimuxSession objects or ClimuxRun
    /// jobs; wildcard patterns match ids and names. All sessions when omitted.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>
    /// Only sessions with these statuses: Queued, Running, Completed, Failed, Stopped, TimedOut or Orphaned.
    /// </summary>
    [Parameter]
    public SessionStatus[]? Status { get; set; }

    /// <summary>
    /// Only sessions of these providers, by exact name (for example claude-code); no wildcards, and case
    /// matters.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Provider { get; set; }

    /// <summary>
    /// Only sessions of this git repository: a path anywhere in it, "." for the current one, or @name for a
    /// workspace alias from the workspaces: config (an unknown alias is a terminating
    /// ClimuxWorkspaceAliasNotFound error). Sessions in any of its worktrees count.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(WorkspaceAliasCompleter))]
    public string? Workspace { get; set; }

    /// <summary>Only sessions run in the worktree of this name (exact name, no wildcards).</summary>
    [Parameter]
    public string? Worktree { get; set; }

    /// <summary>
    /// Only the newest N sessions, by the time they were queued, among those that pass the other filters;
    /// they are still listed oldest first.
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; }

    private readonly List<string> _references = [];

    protected override void ProcessRecord()
    {
        if (Id is not null)
            _references.AddRange(Id);
    }

    protected override void EndProcessing()
    {
        var sessions = Engine.Sessions;
        string? workspace = null;
        if (Workspace is not null)
            workspace = WorkspaceFilter(Workspace);
        var filter = new SessionFilter
        {
            Statuses = Status,
            Providers = Provider,
            Workspace = workspace,
            Worktree = Worktree,
            Last = MyInvocation.BoundParameters.ContainsKey(nameof(Last)) ? Last : null,
        };

        if (_references.Count == 0)
        {
            WriteObject(sessions.Find(filter), enumerateCollection: true);
            return;
        }

        var exact = _references.Where(r => !WildcardPattern.ContainsWildcardCharacters(r)).ToList();
        var patterns = _references.Where(WildcardPattern.ContainsWildcardCharacters).Select(r => WildcardPattern.Get(r, WildcardOptions.IgnoreCase)).ToList();
        var ids = new List<string>();
        foreach (var reference in exact)
            if (ResolveSession(reference) is { } session)
                ids.Add(session.Id);
        var found = new List<ClimuxSession>();
        if (ids.Count > 0)
            found.AddRange(sessions.Find(filter with { Ids = ids }));
        if (patterns.Count > 0)
            found.AddRange(sessions.Find(filter).Where(s => patterns.Any(p => p.IsMatch(s.Id) || s.Name is not null && p.IsMatch(s.Name))));
        WriteObject(found.DistinctBy(s => s.Id).OrderBy(s => s.QueuedAt), enumerateCollection: true);
    }
}
