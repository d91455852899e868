using System.CommandLine;
using Climux.Cli.Rendering;
using Climux.Mcp;

namespace Climux.Cli.Commands;

/// <summary><c>climux mcp [--workspace PATH]</c>: the MCP server over stdio (src/Climux.Mcp).</summary>
public static class McpCommand
{
    public static Command Create(CliContext context)
    {
        var workspace = new Option<string>("--workspace") { Description = "The folder runs go to and whose repository's worktrees the tools use. Default: the current folder." };
        var mcp = new Command("mcp", "An MCP server over stdio (for Claude Code, Codex, Gemini CLI and other agents): tools run_task, session_*, get_status, " +
                                     "get_stats and worktree_*. Only protocol messages go to stdout. Runs it starts live in this process: they go on while " +
                                     "the server runs and are stopped when it ends.")
        {
            workspace,
        }.WithExamples("""
            claude mcp add climux -- climux mcp
            climux mcp --workspace ~/src/shop
            """);
        mcp.SetAction(async (parse, cancellation) =>
        {
            var folder = parse.GetValue(workspace) is { } path ? context.FullPath(path) : context.CurrentDirectory;
            await ClimuxMcpServer.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput(), folder, context.Home,
                e => CliErrors.Describe(e).ErrorId, cancellation).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return mcp;
    }
}
