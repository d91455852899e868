using System.Management.Automation;
using Climux.Core.Sessions;
using Climux.Core.Workspaces;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Lists sessions: every run on this machine, live or finished.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClimuxSession")]
[OutputType(typeof(ClimuxSession))]
public sealed class GetClimuxSessionCommand : ClimuxCmdlet
{
    /// <summary>Ids or names (wildcards allowed), sessions or jobs.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SessionReference]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[]? Id { get; set; }

    [Parameter]
    public SessionStatus[]? Status { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Provider { get; set; }

    /// <summary>A repository path ("." for the current one).</summary>
    [Parameter]
    public string? Workspace { get; set; }

    [Parameter]
    public string? Worktree { get; set; }

    /// <summary>Only the newest N sessions.</summary>
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
        var store = OpenStore();
        ReclaimOrphans(store);
        var repository = new SessionRepository(store);
        string? workspace = null;
        if (Workspace is not null)
        {
            var path = GetUnresolvedProviderPathFromPSPath(Workspace);
            workspace = WorkspaceLocator.FindWorkspaceRoot(path) ?? path;
        }
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
            WriteObject(repository.Find(filter), enumerateCollection: true);
            return;
        }

        var exact = _references.Where(r => !WildcardPattern.ContainsWildcardCharacters(r)).ToList();
        var patterns = _references.Where(WildcardPattern.ContainsWildcardCharacters).Select(r => WildcardPattern.Get(r, WildcardOptions.IgnoreCase)).ToList();
        var ids = new List<string>();
        foreach (var reference in exact)
            if (ResolveSession(repository, reference) is { } session)
                ids.Add(session.Id);
        var sessions = new List<ClimuxSession>();
        if (ids.Count > 0)
            sessions.AddRange(repository.Find(filter with { Ids = ids }));
        if (patterns.Count > 0)
            sessions.AddRange(repository.Find(filter).Where(s => patterns.Any(p => p.IsMatch(s.Id) || s.Name is not null && p.IsMatch(s.Name))));
        WriteObject(sessions.DistinctBy(s => s.Id).OrderBy(s => s.QueuedAt), enumerateCollection: true);
    }
}
