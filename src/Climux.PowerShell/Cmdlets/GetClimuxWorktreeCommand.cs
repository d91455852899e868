using System.Management.Automation;
using Climux.Core.Worktrees;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Lists the repository's worktrees: branch, head, dirty, ahead/behind its base, sessions, last activity.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClimuxWorktree")]
[OutputType(typeof(ClimuxWorktree))]
public sealed class GetClimuxWorktreeCommand : WorktreeCmdletBase
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(WorktreeNameCompleter))]
    public string[]? Name { get; set; }

    private readonly List<string> _names = [];

    protected override void ProcessRecord()
    {
        if (Name is not null)
            _names.AddRange(Name);
    }

    protected override void EndProcessing()
    {
        var patterns = _names.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        var worktrees = Worktrees().List(name => patterns.Count == 0 || patterns.Any(p => p.IsMatch(name)));
        foreach (var name in _names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n) && worktrees.All(w => w.Name != n)))
            WriteError(new ErrorRecord(new ItemNotFoundException($"No worktree '{name}'. List them with: Get-ClimuxWorktree"),
                ErrorIds.WorktreeNotFound, ErrorCategory.ObjectNotFound, name));
        WriteObject(worktrees, enumerateCollection: true);
    }
}
