using System.Text;
using Climux.Core.Sessions;

namespace Climux.Core.FanIn;

/// <summary>
/// Settles the conflicts of one merge in the merge queue. It is called with the target worktree in
/// the conflicted state (a git merge in progress: conflict markers in the files, unmerged index
/// entries, MERGE_HEAD), and must leave the files resolved and staged without committing. Climux
/// then checks that no markers and no unmerged entries remain, runs the test command, and makes
/// the merge commit; otherwise it undoes the merge.
/// </summary>
public interface IConflictResolver
{
    Task<ConflictResolverOutcome> ResolveAsync(ConflictResolutionRequest request, CancellationToken cancellation);
}

/// <summary>Whether the resolver finished its work (Climux still checks it), and the session that did it.</summary>
public sealed record ConflictResolverOutcome(bool Resolved, string? SessionId = null, string? Message = null);

/// <summary>A merge left conflicted in <see cref="Folder"/>, and what each side was for.</summary>
/// <param name="Folder">The target worktree's folder, where the merge is in progress.</param>
/// <param name="Into">The target worktree's name.</param>
/// <param name="Worktree">The worktree being merged.</param>
/// <param name="Branch">Its branch (null on a detached HEAD).</param>
/// <param name="Conflicts">The conflicted paths, relative to the folder.</param>
/// <param name="WorktreeSessions">The sessions that made the merged work.</param>
/// <param name="IntoSessions">The sessions run in the target itself.</param>
public sealed record ConflictResolutionRequest(string Folder, string Into, string Worktree, string? Branch, IReadOnlyList<string> Conflicts,
    IReadOnlyList<ClimuxSession> WorktreeSessions, IReadOnlyList<ClimuxSession> IntoSessions)
{
    /// <summary>The target is the repository's main worktree (not a Climux worktree).</summary>
    public bool IntoIsMain { get; init; }

    /// <summary>The task for an agent: the conflicted files, what each side was for, and what done means.</summary>
    public string Prompt
    {
        get
        {
            var text = new StringBuilder();
            text.AppendLine($"A git merge of {(Branch is null ? $"worktree '{Worktree}'" : $"branch '{Branch}' (worktree '{Worktree}')")} into this folder ('{Into}') stopped with conflicts.");
            text.AppendLine("Resolve every conflict so that the intent of both sides is kept: rewrite each conflicted file without any conflict markers (and stage it with `git add` if you can run git; Climux stages the files you rewrote otherwise).");
            text.AppendLine("Do not commit and do not abort the merge: Climux checks the result, runs the tests and commits the merge.");
            text.AppendLine().AppendLine("Conflicted files:");
            foreach (var path in Conflicts)
                text.AppendLine($"- {path}");
            Describe(text, $"What '{Worktree}' (the incoming side) was for:", WorktreeSessions);
            Describe(text, $"What '{Into}' (this side) was for:", IntoSessions);
            return text.ToString();
        }
    }

    private static void Describe(StringBuilder text, string heading, IReadOnlyList<ClimuxSession> sessions)
    {
        text.AppendLine().AppendLine(heading);
        if (sessions.Count == 0)
            text.AppendLine("- (no Climux session ran there)");
        foreach (var session in sessions)
            text.AppendLine($"- {ClimuxSession.Abbreviate(session.Prompt, 400)}");
    }
}
