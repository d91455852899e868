using LibGit2Sharp;

namespace Climux.Core.FanIn;

/// <summary>
/// What Merge-ClimuxWorktree merged, kept on the git side: <c>refs/climux/merged/&lt;branch&gt;</c>
/// points at the commit of the branch that was merged (squashed merges leave no other trace).
/// </summary>
internal static class MergeRecords
{
    private const string Prefix = "refs/climux/merged/";

    public static void Record(Repository repository, string branch, Commit merged, string into) =>
        repository.Refs.Add(Prefix + branch, merged.Id, $"climux: merged into {into}", allowOverwrite: true);

    /// <summary>The branch's tip <paramref name="tip"/> was merged: it is the recorded commit or an ancestor of it.</summary>
    public static bool Covers(Repository repository, string? branch, Commit tip)
    {
        if (branch is null || repository.Refs[Prefix + branch]?.ResolveToDirectReference()?.Target is not Commit recorded)
            return false;
        return recorded.Id == tip.Id || repository.ObjectDatabase.FindMergeBase(recorded, tip)?.Id == tip.Id;
    }

    public static void Forget(Repository repository, string branch)
    {
        if (repository.Refs[Prefix + branch] is { } record)
            repository.Refs.Remove(record);
    }
}
