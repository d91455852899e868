using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Runs;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Runs;

/// <summary>A model name or a prompt that an agent CLI would misread is refused before anything is queued.</summary>
public sealed class RunInputTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ClimuxEngine _engine;

    public RunInputTests() => _engine = ClimuxEngine.Open(_temp.Home());

    public void Dispose()
    {
        _engine.Dispose();
        _temp.Dispose();
    }

    private RunRequestException Refused(string? model = null, string? configuredModel = null, string prompt = "do it", string provider = "claude-code")
    {
        var config = new ClimuxConfig();
        config.Providers[provider] = new ProviderConfig { Command = "/bin/true", Model = configuredModel, Args = provider == "mine" ? ["{prompt}"] : null };
        var request = new RunRequest { Config = config, Prompt = prompt, Directory = _temp.Path, Provider = provider, Model = model };
        var e = Assert.Throws<RunRequestException>(() => _engine.Runs.Queue(request));
        Assert.Equal(RunRequestProblem.InvalidOptions, e.Kind);
        return e;
    }

    [Theory]
    [InlineData("--dangerously-skip-permissions")]
    [InlineData("-m")]
    [InlineData("claude sonnet")]
    [InlineData("claude\tsonnet")]
    [InlineData("claude\nsonnet")]
    [InlineData("claude\u001b[2J")]
    [InlineData("")]
    public void A_model_a_CLI_could_read_as_a_flag_or_split_is_refused(string model)
    {
        var e = Refused(model: model);
        Assert.Contains("-Model", e.Message);
    }

    [Fact]
    public void The_configured_model_is_checked_too_and_named_by_its_key()
    {
        var e = Refused(configuredModel: "--yolo");
        Assert.Contains("providers.claude-code.model", e.Message);
    }

    [Theory]
    [InlineData("claude-code")]
    [InlineData("mine")]
    public void A_prompt_with_a_NUL_is_refused_with_a_clear_error(string provider)
    {
        var e = Refused(prompt: "first part\0second part", provider: provider);
        Assert.Contains("NUL", e.Message);
    }

    [Fact]
    public async Task Ordinary_models_pass()
    {
        var config = new ClimuxConfig();
        config.Providers["mine"] = new ProviderConfig { Command = "/bin/true" };
        foreach (var model in new[] { "claude-sonnet-4-5", "openai/gpt-5.1-codex", "gemini-2.5-flash", "models/x:latest@v1" })
        {
            var request = new RunRequest { Config = config, Prompt = "p", Directory = _temp.Path, Provider = "mine", Model = model };
            var handle = _engine.Runs.Queue(request);
            Assert.Equal(model, handle.Session.Model);
            handle.Stop("test");
            _engine.Runs.Start(handle);
            await handle.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
