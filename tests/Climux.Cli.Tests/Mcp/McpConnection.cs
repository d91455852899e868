using System.IO.Pipelines;
using System.Text.Json;
using Climux.Core.Paths;
using Climux.Mcp;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Climux.Cli.Tests.Mcp;

/// <summary>
/// An MCP server (<see cref="ClimuxMcpServer"/>) in this process over a pair of pipes, and the C#
/// SDK's client connected to it. Disposing closes the client's end, which ends the server.
/// </summary>
internal sealed class McpConnection : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    // No call of a test waits longer than this.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(5));

    private McpConnection(string workspace, string home)
    {
        Server = Task.Run(() => ClimuxMcpServer.RunAsync(_toServer.Reader.AsStream(), _toClient.Writer.AsStream(), workspace, new ClimuxHome(home),
            e => CliErrors.Describe(e).ErrorId));
    }

    /// <summary>The server's run: it ends when the client goes away.</summary>
    public Task Server { get; }

    public McpClient Client { get; private set; } = null!;

    public static async Task<McpConnection> StartAsync(string workspace, string home)
    {
        var connection = new McpConnection(workspace, home);
        var transport = new StreamClientTransport(connection._toServer.Writer.AsStream(), connection._toClient.Reader.AsStream());
        connection.Client = await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new Implementation { Name = "climux-tests", Version = "1.0" } });
        return connection;
    }

    /// <summary>Calls a tool; <paramref name="arguments"/> as name/value pairs.</summary>
    public async Task<CallToolResult> CallAsync(string tool, params (string Name, object? Value)[] arguments) =>
        await Client.CallToolAsync(tool, arguments.ToDictionary(a => a.Name, a => a.Value), cancellationToken: _timeout.Token);

    /// <summary>Calls a tool that must succeed and returns its structured content.</summary>
    public async Task<JsonElement> CallOkAsync(string tool, params (string Name, object? Value)[] arguments)
    {
        var result = await CallAsync(tool, arguments);
        Assert.True(result.IsError is not true, $"{tool} failed: {Text(result)}");
        Assert.NotNull(result.StructuredContent);
        return result.StructuredContent!.Value;
    }

    public static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _toServer.Writer.CompleteAsync();
        await Server.WaitAsync(TimeSpan.FromSeconds(60));
        _timeout.Dispose();
    }
}
