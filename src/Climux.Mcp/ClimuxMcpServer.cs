using System.Reflection;
using Climux.Core.Engine;
using Climux.Core.Paths;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Climux.Mcp;

/// <summary>
/// <c>climux mcp</c>: an MCP server over a pair of streams (stdin and stdout), with the tools of
/// <see cref="ClimuxTools"/> over one engine for the server's lifetime. Nothing but protocol
/// messages is written to <c>output</c>. The runs it starts are hosted by this process: they go on
/// while the server lives; when the client closes the connection (or the server is cancelled) the
/// engine is disposed, as when a pwsh session that started runs ends: runs still going are
/// stopped (their sessions end Stopped, their agents' process trees are killed).
/// </summary>
public static class ClimuxMcpServer
{
    public const string ServerName = "climux";

    /// <summary>Serves until <paramref name="input"/> ends or <paramref name="cancellation"/>; then closes the engine.</summary>
    /// <param name="workspace">The folder runs go to unless a tool says otherwise; its repository's worktrees are the tools' worktrees.</param>
    /// <param name="home">The Climux home.</param>
    /// <param name="errorIdOf">The error id of an engine exception, for a tool's error result.</param>
    public static async Task RunAsync(Stream input, Stream output, string workspace, ClimuxHome home, Func<Exception, string> errorIdOf, CancellationToken cancellation = default)
    {
        var engine = ClimuxEngine.Open(home);
        await using (engine.ConfigureAwait(false))
        {
            await using var transport = new StreamServerTransport(input, output, ServerName);
            await using var server = McpServer.Create(transport, Options(new ClimuxTools(engine, workspace, errorIdOf)));
            await server.RunAsync(cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>The server's options: its name and version, and the tools over <paramref name="tools"/>.</summary>
    public static McpServerOptions Options(ClimuxTools tools)
    {
        var collection = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var method in typeof(ClimuxTools).GetMethods(BindingFlags.Public | BindingFlags.Instance))
            if (method.GetCustomAttribute<McpServerToolAttribute>() is not null)
                collection.Add(McpServerTool.Create(method, tools));
        return new McpServerOptions
        {
            ServerInfo = new Implementation { Name = ServerName, Version = typeof(ClimuxMcpServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" },
            ServerInstructions = "Climux runs AI coding agents (Claude Code, Codex, Gemini CLI, OpenCode) in parallel, one task per git worktree. " +
                                 "Create a worktree per task (worktree_create), start a run in each (run_task; it returns a sessionId at once), " +
                                 "wait for them (session_wait), then review conflicts (worktree_conflicts) and merge (worktree_merge).",
            ToolCollection = collection,
        };
    }
}
