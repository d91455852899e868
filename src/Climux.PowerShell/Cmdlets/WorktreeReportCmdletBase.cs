using Climux.Core.Git;
using System.Management.Automation;
using Climux.PowerShell.Completion;

namespace Climux.PowerShell.Cmdlets;

/// <summary>Shared by the cmdlets that report on a set of worktrees chosen by name: the names from the pipeline, matched once all have come.</summary>
public abstract class WorktreeReportCmdletBase : WorktreeCmdletBase
{
    /// <summary>
    /// Names of the worktrees; wildcards allowed. Every worktree but the main one when omitted. Accepts pipeline
    /// input, including Get-ClimuxWorktree's output.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(WorktreeNameCompleter))]
    public string[]? Name { get; set; }

    private readonly List<string> _names = [];

    /// <summary>The objects to output for the worktrees named.</summary>
    protected abstract IEnumerable<object> Report(IReadOnlyCollection<string> names);

    protected override void ProcessRecord()
    {
        if (Name is not null)
            _names.AddRange(Name);
    }

    protected override void EndProcessing()
    {
        var names = MatchNames(_names);
        try
        {
            WriteObject(Report([.. names]), enumerateCollection: true);
        }
        catch (Exception e) when (GitErrors.IsGitFailure(e))
        {
            WriteError(new ErrorRecord(e, ErrorIds.WorktreeGitError, ErrorCategory.ReadError, string.Join(", ", names)));
        }
    }
}
