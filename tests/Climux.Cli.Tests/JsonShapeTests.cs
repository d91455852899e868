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
}
