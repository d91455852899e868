using LibGit2Sharp;

namespace Climux.Core.Workspaces;

/// <summary>
/// What makes two clones of one repository on two machines one workspace for a shared store's
/// limits: the <c>origin</c> remote's URL (host and path, without user, scheme or ".git"), else
/// the repository's first commit, else (no commits yet) its folder.
/// </summary>
public static class WorkspaceIdentity
{
    public static string Of(string workspaceRoot)
    {
        try
        {
            using var repository = new Repository(workspaceRoot);
            if (repository.Network.Remotes["origin"]?.Url is { Length: > 0 } url)
                return "remote:" + NormalizeUrl(url);
            if (!repository.Info.IsHeadUnborn)
            {
                var first = repository.Commits.QueryBy(new CommitFilter { SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Reverse }).First();
                return "commit:" + first.Sha;
            }
        }
        catch (LibGit2SharpException)
        {
            // not a repository git can read: its folder is all there is
        }
        return "path:" + workspaceRoot;
    }

    /// <summary>https://user@Host/owner/repo.git, ssh://git@host/owner/repo and git@host:owner/repo all become host/owner/repo.</summary>
    public static string NormalizeUrl(string url)
    {
        var text = url.Trim();
        string host, path;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && !uri.IsFile && uri.Host.Length > 0)
            (host, path) = (uri.Host, uri.AbsolutePath);
        else if (text.IndexOf(':') is var colon and > 0 && !text[..colon].Contains('/'))
            (host, path) = (text[..colon][(text.IndexOf('@') is var at and >= 0 && at < colon ? at + 1 : 0)..], text[(colon + 1)..]);
        else
            return text.TrimEnd('/');
        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
            path = path[..^4];
        return host.ToLowerInvariant() + "/" + path;
    }
}
