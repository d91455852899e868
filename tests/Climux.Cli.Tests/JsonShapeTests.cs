using System.Text.Json;
using Climux.Cli.Tests.Support;

namespace Climux.Cli.Tests;

public sealed class JsonShapeTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static JsonElement Parse(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Out);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Status_json_is_one_object_with_the_documented_fields()
    {
        var status = Parse(_cli.Run("status", "--json"));

        Assert.Equal(JsonValueKind.Object, status.ValueKind);
        foreach (var name in new[] { "activeSessions", "queuedSessions", "maxActiveSessions", "maxSessionsPerWorkspace", "costToday", "dailyBudget", "workspaces" })
            Assert.True(status.TryGetProperty(name, out _), $"status --json has no '{name}': {status}");
        Assert.Equal(0, status.GetProperty("activeSessions").GetInt32());
        Assert.Equal(JsonValueKind.Array, status.GetProperty("workspaces").ValueKind);
    }

    [Fact]
    public void Stats_json_is_an_array_even_when_empty()
    {
        var stats = Parse(_cli.Run("stats", "--by", "provider", "--json"));

        Assert.Equal(JsonValueKind.Array, stats.ValueKind);
        Assert.Equal(0, stats.GetArrayLength());
    }

    [Fact]
    public void Provider_list_json_names_the_fake_agents_as_installed()
    {
        var providers = Parse(_cli.Run("provider", "list", "--json"));

        var codex = providers.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "codex");
        Assert.True(codex.GetProperty("installed").GetBoolean());
        Assert.Equal("BuiltIn", codex.GetProperty("kind").GetString());
        Assert.True(codex.GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public void A_session_has_sessionId_enums_as_strings_seconds_and_ISO_8601_times()
    {
        var run = Parse(_cli.Run("run", "shape", "--provider", "claude-code", "--json"));
        var id = run.GetProperty("sessionId").GetString()!;
        var shown = Parse(_cli.Run("session", "show", id, "--json"));
        var listed = Parse(_cli.Run("session", "list", "--json"));

        Assert.Equal(run.ToString(), shown.ToString());
        Assert.Equal(id, listed[0].GetProperty("sessionId").GetString());
        Assert.Equal("Completed", shown.GetProperty("status").GetString());
        Assert.Equal("Task", shown.GetProperty("mode").GetString());
        Assert.Equal("Reported", shown.GetProperty("costSource").GetString());
        Assert.Equal(JsonValueKind.Number, shown.GetProperty("durationSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Array, shown.GetProperty("dependsOn").ValueKind);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", shown.GetProperty("queuedAt").GetString());
        Assert.False(shown.TryGetProperty("id", out _));
    }

    [Fact]
    public void Stats_rows_have_the_grouping_as_text_and_durations_in_seconds()
    {
        _cli.Run("run", "for stats", "--provider", "claude-code");

        var row = Parse(_cli.Run("stats", "--by", "model", "--json"))[0];

        Assert.Equal("Model", row.GetProperty("by").GetString());
        Assert.Equal(JsonValueKind.Number, row.GetProperty("totalDurationSeconds").ValueKind);
        Assert.Equal(1, row.GetProperty("sessions").GetInt32());
    }

    [Fact]
    public void Session_log_json_is_one_event_a_line()
    {
        var id = Parse(_cli.Run("run", "log me", "--json")).GetProperty("sessionId").GetString()!;

        var lines = _cli.Run("session", "log", id, "--json").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal(id, JsonDocument.Parse(line).RootElement.GetProperty("sessionId").GetString()));
        Assert.Contains(lines, line => JsonDocument.Parse(line).RootElement.GetProperty("kind").GetString() == "Message");
    }
}
