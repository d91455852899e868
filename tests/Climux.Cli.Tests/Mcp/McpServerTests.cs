using System.Text.Json;
using Climux.Cli.Tests.Support;
using ModelContextProtocol.Client;

namespace Climux.Cli.Tests.Mcp;

/// <summary>
/// <c>climux mcp</c> through the C# SDK's client: the tools and their argument names (a contract),
/// the documented flow (worktree, run, wait, list, status, export) against the fake agents, error
/// results that leave the server answering, and what happens to its runs when it ends.
/// </summary>
public sealed class McpServerTests : IDisposable
{
    private readonly CliHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private Task<McpConnection> ConnectAsync() => McpConnection.StartAsync(_harness.Repo, _harness.Home);

    [Fact]
    public async Task Lists_the_thirteen_tools_with_their_argument_names()
    {
        await using var mcp = await ConnectAsync();
        var tools = (await mcp.Client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        var expected = new Dictionary<string, string[]>
        {
            ["run_task"] = ["prompt", "provider", "mode", "worktree", "workspace", "model", "dependsOn", "timeoutSeconds", "maxCostUsd", "wait"],
            ["session_list"] = ["status", "workspace", "provider", "limit"],
            ["session_wait"] = ["sessionId", "timeoutSeconds"],
            ["session_resume"] = ["sessionId", "prompt", "wait"],
            ["session_export"] = ["sessionId", "format"],
            ["session_stop"] = ["sessionId"],
            ["get_status"] = [],
            ["get_stats"] = ["by", "from", "to"],
            ["worktree_create"] = ["name", "branch", "base"],
            ["worktree_list"] = [],
            ["worktree_remove"] = ["name", "force"],
            ["worktree_conflicts"] = ["names"],
            ["worktree_merge"] = ["names", "into", "test"],
        };
        Assert.Equal(expected.Keys.Order(), tools.Keys.Order());
        foreach (var (name, arguments) in expected)
        {
            var schema = tools[name].InputSchema;
            var properties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(o => o.Name).ToList() : [];
            Assert.Equal(arguments, properties);
            Assert.False(string.IsNullOrWhiteSpace(tools[name].Description), $"{name} has no description");
        }
        Assert.Equal(["prompt"], Required(tools["run_task"].InputSchema));
        Assert.Equal(["names", "into"], Required(tools["worktree_merge"].InputSchema));
        Assert.Equal(["sessionId", "format"], Required(tools["session_export"].InputSchema));
    }

    private static List<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var r) ? [.. r.EnumerateArray().Select(e => e.GetString()!)] : [];

    [Fact]
    public async Task Creates_a_worktree_runs_a_task_there_waits_lists_reports_status_and_exports()
    {
        await using var mcp = await ConnectAsync();

        var created = await mcp.CallOkAsync("worktree_create", ("name", "feat-backend"), ("branch", "feature/user-auth"));
        Assert.Equal("feat-backend", created.GetProperty("name").GetString());
        Assert.Equal("feature/user-auth", created.GetProperty("branch").GetString());

        var queued = await mcp.CallOkAsync("run_task", ("prompt", "add the login endpoint"), ("worktree", "feat-backend"), ("mode", "task"), ("provider", "claude-code"));
        var id = queued.GetProperty("sessionId").GetString()!;
        Assert.Contains(queued.GetProperty("status").GetString(), new[] { "Queued", "Running" });
        Assert.Equal("feat-backend", queued.GetProperty("worktree").GetString());

        var finished = await mcp.CallOkAsync("session_wait", ("sessionId", id), ("timeoutSeconds", 120));
        Assert.Equal("Completed", finished.GetProperty("status").GetString());
        Assert.Contains("MOCK_REPLY turn=1", finished.GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Number, finished.GetProperty("durationSeconds").ValueKind);

        var listed = await mcp.CallOkAsync("session_list", ("status", "completed"), ("provider", "claude-code"));
        Assert.Contains(id, listed.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetString()));

        var status = await mcp.CallOkAsync("get_status");
        foreach (var field in new[] { "activeSessions", "queuedSessions", "maxActiveSessions", "maxSessionsPerWorkspace", "costToday", "dailyBudget", "workspaces" })
            Assert.True(status.TryGetProperty(field, out _), $"get_status has no {field}");
        Assert.Equal(0, status.GetProperty("activeSessions").GetInt32());

        var markdown = await mcp.CallOkAsync("session_export", ("sessionId", id), ("format", "markdown"));
        Assert.Equal("markdown", markdown.GetProperty("format").GetString());
        Assert.Contains("MOCK_REPLY", markdown.GetProperty("content").GetString());
        var json = await mcp.CallOkAsync("session_export", ("sessionId", id), ("format", "json"));
        using (var exported = JsonDocument.Parse(json.GetProperty("content").GetString()!))
            Assert.Equal(JsonValueKind.Object, exported.RootElement.ValueKind);

        var worktrees = await mcp.CallOkAsync("worktree_list");
        var worktree = worktrees.GetProperty("worktrees").EnumerateArray().Single(w => w.GetProperty("name").GetString() == "feat-backend");
        Assert.Equal(1, worktree.GetProperty("totalSessions").GetInt32());

        var stats = await mcp.CallOkAsync("get_stats", ("by", "provider"));
        Assert.Contains("claude-code", stats.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Bad_input_is_an_error_result_and_the_server_answers_after_it()
    {
        await using var mcp = await ConnectAsync();

        var unknown = await mcp.CallAsync("session_wait", ("sessionId", "no-such-session"));
        Assert.True(unknown.IsError);
        Assert.Equal("ClimuxSessionNotFound", unknown.StructuredContent!.Value.GetProperty("errorId").GetString());
        Assert.StartsWith("ClimuxSessionNotFound: ", McpConnection.Text(unknown));

        var badMode = await mcp.CallAsync("run_task", ("prompt", "x"), ("mode", "yolo"));
        Assert.True(badMode.IsError);
        Assert.Contains("mode must be one of task, plan", McpConnection.Text(badMode));

        var badFormat = await mcp.CallAsync("session_export", ("sessionId", "no-such-session"), ("format", "pdf"));
        Assert.True(badFormat.IsError);

        var noWorktree = await mcp.CallAsync("run_task", ("prompt", "x"), ("worktree", "missing"));
        Assert.True(noWorktree.IsError);
        Assert.Equal("ClimuxDirectoryNotFound", noWorktree.StructuredContent!.Value.GetProperty("errorId").GetString());

        var unknownProvider = await mcp.CallAsync("run_task", ("prompt", "x"), ("provider", "nobody"));
        Assert.Equal("ClimuxProviderNotFound", unknownProvider.StructuredContent!.Value.GetProperty("errorId").GetString());

        var noMerge = await mcp.CallAsync("worktree_merge", ("names", new[] { "missing" }), ("into", "main"));
        Assert.True(noMerge.IsError);

        // Still answering.
        var status = await mcp.CallOkAsync("get_status");
        Assert.Equal(0, status.GetProperty("activeSessions").GetInt32());
        Assert.Equal(13, (await mcp.Client.ListToolsAsync()).Count);
    }

    [Fact]
    public async Task Waits_in_the_call_and_resumes_the_conversation()
    {
        await using var mcp = await ConnectAsync();
        var first = await mcp.CallOkAsync("run_task", ("prompt", "hello"), ("provider", "claude-code"), ("wait", true));
        Assert.Equal("Completed", first.GetProperty("status").GetString());

        var second = await mcp.CallOkAsync("session_resume", ("sessionId", first.GetProperty("sessionId").GetString()), ("prompt", "again"), ("wait", true));
        Assert.Equal("Completed", second.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("sessionId").GetString(), second.GetProperty("parentId").GetString());
        Assert.Contains("MOCK_REPLY turn=2", second.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Stops_a_run_and_stops_what_it_hosts_when_the_client_goes_away()
    {
        string stoppedId, leftId;
        await using (var mcp = await ConnectAsync())
        {
            stoppedId = (await mcp.CallOkAsync("run_task", ("prompt", "wait [[hang]]"), ("provider", "claude-code"))).GetProperty("sessionId").GetString()!;
            var stopped = await mcp.CallOkAsync("session_stop", ("sessionId", stoppedId));
            Assert.Equal("Stopped", stopped.GetProperty("status").GetString());

            leftId = (await mcp.CallOkAsync("run_task", ("prompt", "wait [[hang]]"), ("provider", "claude-code"))).GetProperty("sessionId").GetString()!;
        }

        // The server ended with its client: the run it hosted was stopped, not left running without a host.
        await using var check = await ConnectAsync();
        var sessions = (await check.CallOkAsync("session_list")).GetProperty("sessions").EnumerateArray().ToDictionary(s => s.GetProperty("sessionId").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal("Stopped", sessions[stoppedId]);
        Assert.Equal("Stopped", sessions[leftId]);
    }

    [Fact]
    public async Task The_climux_executable_serves_over_stdio_with_nothing_but_protocol_on_stdout()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = CliHarness.Climux,
            Arguments = ["mcp"],
            WorkingDirectory = _harness.Repo,
            EnvironmentVariables = new Dictionary<string, string?> { ["CLIMUX_HOME"] = _harness.Home, ["NO_COLOR"] = "1" },
        });
        await using var client = await McpClient.CreateAsync(transport);
        var run = await client.CallToolAsync("run_task", new Dictionary<string, object?> { ["prompt"] = "from a process", ["wait"] = true });
        Assert.True(run.IsError is not true, McpConnection.Text(run));
        Assert.Equal("Completed", run.StructuredContent!.Value.GetProperty("status").GetString());
        var missing = await client.CallToolAsync("session_stop", new Dictionary<string, object?> { ["sessionId"] = "nope" });
        Assert.True(missing.IsError);
        Assert.Equal(13, (await client.ListToolsAsync()).Count);
    }

    [Fact]
    public async Task Worktree_tools_create_predict_merge_and_remove()
    {
        await using var mcp = await ConnectAsync();
        var fromMainResult = await mcp.CallAsync("worktree_create", ("name", "feat-a"), ("branch", "main"));
        Assert.Contains("checked out in another worktree", McpConnection.Text(fromMainResult));
        var fromMain = fromMainResult.StructuredContent!.Value;
        Assert.Equal("feat-a", fromMain.GetProperty("branch").GetString());
        var path = fromMain.GetProperty("path").GetString()!;
        await mcp.CallOkAsync("worktree_create", ("name", "integration"));

        File.WriteAllText(Path.Combine(path, "a.txt"), "a\n");
        _harness.Git("-C", path, "add", "-A");
        _harness.Git("-C", path, "commit", "-q", "-m", "a");

        var conflicts = await mcp.CallOkAsync("worktree_conflicts", ("names", new[] { "feat-a", "integration" }));
        Assert.Equal(0, conflicts.GetProperty("conflicts").GetArrayLength());
        var merged = await mcp.CallOkAsync("worktree_merge", ("names", new[] { "feat-a" }), ("into", "integration"));
        var result = merged.GetProperty("results").EnumerateArray().Single();
        Assert.Contains(result.GetProperty("status").GetString(), new[] { "FastForward", "Merged" });

        var hanging = await mcp.CallOkAsync("run_task", ("prompt", "wait [[hang]]"), ("provider", "claude-code"), ("worktree", "feat-a"));
        var refused = await mcp.CallAsync("worktree_remove", ("name", "feat-a"));
        Assert.True(refused.IsError);
        var removed = await mcp.CallOkAsync("worktree_remove", ("name", "feat-a"), ("force", true));
        Assert.Equal("feat-a", removed.GetProperty("name").GetString());
        Assert.False(Directory.Exists(path));
        var session = await mcp.CallOkAsync("session_wait", ("sessionId", hanging.GetProperty("sessionId").GetString()), ("timeoutSeconds", 30));
        Assert.Equal("Stopped", session.GetProperty("status").GetString());

        var main = await mcp.CallAsync("worktree_remove", ("name", "main"));
        Assert.Equal("ClimuxWorktreeIsMain", main.StructuredContent!.Value.GetProperty("errorId").GetString());
    }
}
