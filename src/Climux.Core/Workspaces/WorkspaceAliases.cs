using Climux.Core.Config;

namespace Climux.Core.Workspaces;

/// <summary><c>workspaces:</c> aliases: <c>@shop</c> wherever a workspace is taken means the folder the config gives it.</summary>
public static class WorkspaceAliases
{
    public const char Prefix = '@';

    public static bool IsAlias(string workspace) => workspace.Length > 1 && workspace[0] == Prefix;

    /// <summary>The folder <paramref name="workspace"/> names: an alias's folder (with ~ for the home folder), else the text as it is.</summary>
    /// <exception cref="WorkspaceAliasNotFoundException">An <c>@alias</c> the config does not define.</exception>
    public static string Expand(string workspace, ClimuxConfig config)
    {
        if (!IsAlias(workspace))
            return workspace;
        var name = workspace[1..];
        var path = config.Workspaces.FirstOrDefault(w => w.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value
            ?? throw new WorkspaceAliasNotFoundException(name, config.Workspaces.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList());
        return path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
    }

    /// <summary>The repository (main worktree top) of <paramref name="workspace"/> (a folder or an alias); the folder itself outside git.</summary>
    /// <exception cref="WorkspaceAliasNotFoundException">An <c>@alias</c> the config does not define.</exception>
    public static string RootOf(string workspace, string currentDirectory, ClimuxConfig config)
    {
        var path = Path.GetFullPath(Expand(workspace, config), currentDirectory);
        return WorkspaceLocator.FindWorkspaceRoot(path) ?? path;
    }
}

/// <summary>An <c>@alias</c> that no <c>workspaces:</c> entry defines.</summary>
public sealed class WorkspaceAliasNotFoundException(string alias, IReadOnlyList<string> known) : Exception(known.Count == 0
    ? $"No workspace alias '@{alias}': the config has no workspaces. Define one with: Set-ClimuxConfig workspaces.{alias} <path>"
    : $"No workspace alias '@{alias}'. Known: {string.Join(", ", known.Select(k => "@" + k))}. Define it with: Set-ClimuxConfig workspaces.{alias} <path>")
{
    public string Alias { get; } = alias;
}
