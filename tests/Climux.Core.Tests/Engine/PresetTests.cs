using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Engine;

/// <summary>presets: named run parameters; what the run gives itself wins.</summary>
public sealed class PresetTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new("climux-preset");
    private ClimuxEngine _engine = null!;

    public Task InitializeAsync()
    {
        _engine = ClimuxEngine.Open(_temp.Home());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _temp.Dispose();
    }

    private ClimuxConfig Config()
    {
        var config = FakeAgents.Config(_temp.Path);
        config.Presets["review"] = new PresetConfig { Provider = "claude-code", Mode = RunMode.Plan, Model = "claude-sonnet-4-5", Timeout = 600, MaxCost = 1.5m, Args = ["--max-turns", "3"] };
        return config;
    }

    private RunRequest Request(string? preset, string? provider = null, RunMode? mode = null, string? model = null) => new()
    {
        Config = Config(),
        Prompt = "Review it",
        Directory = Directory.CreateDirectory(_temp.Combine("work")).FullName,
        Provider = provider,
        Mode = mode,
        Model = model,
        Preset = preset,
    };

    [Fact]
    public async Task A_preset_sets_provider_mode_model_limits_and_args()
    {
        var handle = _engine.Runs.Queue(Request("Review"));
        _engine.Runs.Start(handle);
        var session = await handle.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(("claude-code", RunMode.Plan, SessionStatus.Completed), (session.Provider, session.Mode, session.Status));
        Assert.Equal(600, session.Options!.TimeoutSeconds);
        Assert.Equal(1.5m, session.Options.MaxCost);
        var start = File.ReadAllLines(_temp.Combine("fake-log", "invocations.jsonl")).First(l => l.Contains("\"start\""));
        Assert.Contains("\"--max-turns\",\"3\"", start);
        Assert.Contains("\"--model\",\"claude-sonnet-4-5\"", start);
    }

    [Fact]
    public void Explicit_parameters_win_and_the_preset_args_stay_with_its_provider()
    {
        var handle = _engine.Runs.Queue(Request("review", provider: "codex", mode: RunMode.Task, model: "gpt-5"));
        _engine.Runs.Start(handle);
        Assert.Equal(("codex", RunMode.Task, "gpt-5"), (handle.Session.Provider, handle.Session.Mode, handle.Session.Model));
        Assert.DoesNotContain("--max-turns", handle.Plan.Settings?.Args ?? []);
    }

    [Fact]
    public void An_unknown_preset_is_refused_with_the_known_ones()
    {
        var e = Assert.Throws<RunRequestException>(() => _engine.Runs.Check(Request("nope")));
        Assert.Equal(RunRequestProblem.UnknownPreset, e.Kind);
        Assert.Contains("review", e.Message);
    }
}
