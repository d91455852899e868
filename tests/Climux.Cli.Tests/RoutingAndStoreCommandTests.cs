using System.Text.Json;
using Climux.Cli.Tests.Support;

namespace Climux.Cli.Tests;

/// <summary>The run options of routing and fan-in (--preset, --no-fallback, --merge-dependencies), @alias workspaces, merge --resolve-with, and the store commands.</summary>
public sealed class RoutingAndStoreCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private void AddConfig(string yaml) => File.AppendAllText(Path.Combine(_cli.Home, "config.yaml"), yaml);

    private static JsonElement Json(CliResult result) => JsonDocument.Parse(result.Out).RootElement;

    [Fact]
    public void A_preset_gives_provider_and_mode_and_an_explicit_mode_wins()
    {
        AddConfig("presets:\n  review: { provider: gemini-cli, mode: Plan }\n");

        var preset = _cli.Run("run", "look", "--preset", "review", "--json");
        var explicitMode = _cli.Run("run", "look again", "--preset", "review", "--mode", "task", "--json");

        Assert.True(preset.ExitCode == 0, preset.ToString());
        Assert.Equal(("gemini-cli", "Plan"), (Json(preset).GetProperty("provider").GetString(), Json(preset).GetProperty("mode").GetString()));
        Assert.True(explicitMode.ExitCode == 0, explicitMode.ToString());
        Assert.Equal("Task", Json(explicitMode).GetProperty("mode").GetString());
    }

    [Fact]
    public void An_unknown_preset_is_bad_input_with_its_error_id()
    {
        var result = _cli.Run("run", "look", "--preset", "nope");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("ClimuxPresetNotFound", result.Error);
    }

    [Fact]
    public void Workspace_aliases_work_for_run_session_list_and_stats_from_outside_the_repository()
    {
        AddConfig($"workspaces:\n  shop: '{_cli.Repo}'\n");
        var outside = Path.Combine(_cli.Root, "elsewhere");
        Directory.CreateDirectory(outside);

        var run = _cli.RunIn(outside, "run", "hello", "--workspace", "@shop", "--json");
        var list = _cli.RunIn(outside, "session", "list", "--workspace", "@shop", "--json");
        var stats = _cli.RunIn(outside, "stats", "--workspace", "@shop", "--json");
        var unknown = _cli.RunIn(outside, "session", "list", "--workspace", "@nope");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Json(run).GetProperty("sessionId").GetString(), Json(list)[0].GetProperty("sessionId").GetString());
        Assert.Equal(1, Json(stats)[0].GetProperty("sessions").GetInt32());
        Assert.Equal(ExitCodes.BadInput, unknown.ExitCode);
        Assert.Contains("ClimuxWorkspaceAliasNotFound", unknown.Error);
    }

    [Fact]
    public void Merge_dependencies_brings_the_dependencies_work_into_the_run()
    {
        Assert.Equal(0, _cli.Run("worktree", "create", "phase1").ExitCode);
        Assert.Equal(0, _cli.Run("worktree", "create", "phase2").ExitCode);
        var phase1Path = Json(_cli.Run("worktree", "list", "--format", "json")).EnumerateArray().First(w => w.GetProperty("name").GetString() == "phase1").GetProperty("path").GetString()!;
        File.WriteAllText(Path.Combine(phase1Path, "api.txt"), "phase 1\n");
        _cli.Git("-C", phase1Path, "add", "-A");
        _cli.Git("-C", phase1Path, "commit", "-q", "-m", "phase 1 work");
        var first = _cli.Run("run", "design", "--worktree", "phase1", "--json");
        Assert.True(first.ExitCode == 0, first.ToString());

        var second = _cli.Run("run", "build on it", "--worktree", "phase2", "--depends-on", Json(first).GetProperty("sessionId").GetString()!, "--merge-dependencies", "--json");

        Assert.True(second.ExitCode == 0, second.ToString());
        var phase2Path = Json(second).GetProperty("directory").GetString()!;
        Assert.Equal("phase2", Json(second).GetProperty("worktree").GetString());
        Assert.Equal("phase 1\n", File.ReadAllText(Path.Combine(phase2Path, "api.txt")));
    }

    [Fact]
    public void Merge_resolve_with_an_unknown_provider_stops_before_any_merge()
    {
        Assert.Equal(0, _cli.Run("worktree", "create", "a").ExitCode);
        Assert.Equal(0, _cli.Run("worktree", "create", "integration").ExitCode);

        var result = _cli.Run("worktree", "merge", "a", "--into", "integration", "--resolve-with", "no-such-agent");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("ClimuxProviderNotFound", result.Error);
    }

    [Fact]
    public void Team_settings_need_a_shared_store_and_the_store_check_passes()
    {
        var set = _cli.Run("config", "set", "concurrency.maxActiveSessions", "2", "--scope", "store");
        Assert.Equal(ExitCodes.Failed, set.ExitCode);
        Assert.Contains("ClimuxStoreNotShared", set.Error);

        Assert.Equal(0, _cli.Run("run", "hello").ExitCode);
        var check = _cli.Run("store", "check");
        Assert.True(check.ExitCode == 0, check.ToString());
    }
}
