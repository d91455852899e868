using Climux.Core.Sessions;
using Climux.Core.Store;

namespace Climux.Core.Worktrees;

/// <summary>A worktree Climux made: what it was made from.</summary>
public sealed record WorktreeRecord(string Workspace, string Name, string Path, string? Branch, string? BaseRef, string? BaseCommit, DateTimeOffset CreatedAt);

/// <summary>The worktrees table, and the session counts per worktree folder.</summary>
internal sealed class WorktreeRegistry(ClimuxStore store)
{
    public sealed record SessionCount(int Active, int Total, DateTimeOffset? LastActivity);

    public void Add(string workspace, string name, string path, string? branch, string? baseRef, string? baseCommit) =>
        store.Write((connection, transaction) =>
            SessionRepository.Command(connection, transaction, """
                INSERT INTO worktrees (workspace, name, path, branch, base_ref, base_commit, created_at)
                VALUES ($ws, $name, $path, $branch, $base, $commit, $now)
                ON CONFLICT(workspace, name) DO UPDATE SET path = excluded.path, branch = excluded.branch,
                    base_ref = excluded.base_ref, base_commit = excluded.base_commit, created_at = excluded.created_at
                """, ("$ws", workspace), ("$name", name), ("$path", path), ("$branch", branch), ("$base", baseRef),
                ("$commit", baseCommit), ("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).ExecuteNonQuery());

    public IReadOnlyList<WorktreeRecord> List(string workspace) => store.Read(connection =>
    {
        using var command = SessionRepository.Command(connection, null,
            "SELECT name, path, branch, base_ref, base_commit, created_at FROM worktrees WHERE workspace = $ws", ("$ws", workspace));
        using var reader = command.ExecuteReader();
        var records = new List<WorktreeRecord>();
        while (reader.Read())
            records.Add(new WorktreeRecord(workspace, reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        return records;
    });

    public void Remove(string workspace, string path) =>
        store.Write((connection, transaction) =>
            SessionRepository.Command(connection, transaction, "DELETE FROM worktrees WHERE workspace = $ws AND path = $path",
                ("$ws", workspace), ("$path", path)).ExecuteNonQuery());

    /// <summary>Sessions per folder of the workspace: active (queued or running), all, and the latest activity.</summary>
    public IReadOnlyDictionary<string, SessionCount> SessionCounts(string workspace) => store.Read(connection =>
    {
        using var command = SessionRepository.Command(connection, null, """
            SELECT directory, sum(status IN ('Queued', 'Running')), count(*), max(COALESCE(ended_at, started_at, queued_at))
            FROM sessions WHERE workspace = $ws GROUP BY directory
            """, ("$ws", workspace));
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, SessionCount>(StringComparer.Ordinal);
        while (reader.Read())
            counts[reader.GetString(0).TrimEnd('/', '\\')] = new SessionCount(reader.GetInt32(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
        return counts;
    });
}
