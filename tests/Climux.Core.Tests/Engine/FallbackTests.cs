using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Routing;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Engine;

/// <summary>
/// fallbackOrder: a run whose provider is missing or rate-limited goes on with the next provider.
/// The fake agent replays each CLI's measured 429 output for the flavors [[rate-limit:…]] names.
/// </summary>
public sealed class FallbackTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempFolder _temp = new("climux-fallback");
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

    private ClimuxConfig Config(params string[] order)
    {
        var config = FakeAgents.Config(_temp.Path);
        config.FallbackOrder = [.. order];
        return config;
    }

    private RunRequest Request(ClimuxConfig config, string prompt, string? provider, bool noFallback = false) => new()
    {
        Config = config,
        Prompt = prompt,
        Directory = Directory.CreateDirectory(_temp.Combine("work")).FullName,
        Provider = provider,
        Mode = RunMode.Plan,
        NoFallback = noFallback,
        Options = new RunOptions { TimeoutSeconds = 50 },
    };

    private async Task<(ClimuxSession Final, List<RunUpdate> Updates, RunHandle Handle)> RunAsync(RunRequest request)
    {
        var handle = _engine.Runs.Queue(request);
        var updates = new List<RunUpdate>();
        handle.Updated += u =>
        {
            lock (updates)
                updates.Add(u);
        };
        _engine.Runs.Start(handle);
        var final = await handle.Completion.WaitAsync(Patience);
        return (final, updates, handle);
    }

    [Fact]
    public async Task A_codex_run_that_hits_429_completes_on_the_next_provider()
    {
        var (final, updates, handle) = await RunAsync(Request(Config("codex", "claude-code"), "Say hi [[rate-limit:codex]]", "codex"));

        Assert.Equal(("claude-code", SessionStatus.Completed), (final.Provider, final.Status));
        Assert.Equal(handle.SessionId, final.FallbackOf);
        Assert.Equal(RunMode.Plan, final.Mode);
        Assert.Equal(handle.Session.Prompt, final.Prompt);
        Assert.Equal(handle.Session.Directory, final.Directory);
        var first = _engine.Store.Get(handle.SessionId)!;
        Assert.Equal(SessionStatus.Failed, first.Status);
        Assert.Contains("Rate limited", first.Error);
        Assert.Contains("429", first.Error);
        Assert.Contains(updates.OfType<RunWarningUpdate>(), w => w.Message.Contains($"goes on as session {final.Id} with claude-code"));
        Assert.Same(handle.Next, _engine.Runs.Find(final.Id) ?? handle.Next);
    }

    [Fact]
    public async Task A_claude_run_is_stopped_after_afterRetries_429_retries_and_falls_back()
    {
        var config = Config("claude-code", "codex");
        config.Fallback.AfterRetries = 2;
        var (final, _, handle) = await RunAsync(Request(config, "Say hi [[rate-limit:claude]]", "claude-code"));

        Assert.Equal(("codex", SessionStatus.Completed, handle.SessionId), (final.Provider, final.Status, final.FallbackOf));
        var first = _engine.Store.Get(handle.SessionId)!;
        Assert.Equal(SessionStatus.Failed, first.Status);
        Assert.Contains("Rate limited", first.Error);
        Assert.Contains("after 2 attempts", first.Error);
        // Stopped after the second retry: the replay has ten.
        Assert.Equal(2, _engine.Sessions.Events(first.Id).Count(e => e.Text?.Contains("HTTP 429") == true));
    }

    [Fact]
    public async Task A_gemini_run_is_stopped_on_its_stderr_429s_and_falls_back()
    {
        var (final, _, handle) = await RunAsync(Request(Config("gemini-cli", "opencode"), "Say hi [[rate-limit:gemini]]", "gemini-cli"));
        Assert.Equal(("opencode", SessionStatus.Completed, handle.SessionId), (final.Provider, final.Status, final.FallbackOf));
        Assert.Contains("Rate limited", _engine.Store.Get(handle.SessionId)!.Error);
    }

    [Fact]
    public async Task No_provider_is_tried_twice_and_every_hop_keeps_the_first_id()
    {
        var (final, updates, handle) = await RunAsync(Request(Config("codex", "claude-code", "gemini-cli"),
            "Say hi [[rate-limit:codex,claude,gemini]]", "claude-code"));
        // claude-code (not first in the list) -> gemini-cli -> codex, then nothing is left.
        Assert.Equal(SessionStatus.Failed, final.Status);
        Assert.Equal("codex", final.Provider);
        var chain = _engine.Store.Find(new SessionFilter()).Where(s => s.FallbackOf == handle.SessionId).OrderBy(s => s.QueuedAt).ToList();
        Assert.Equal(["gemini-cli", "codex"], chain.Select(s => s.Provider));
        Assert.Contains(updates.OfType<RunWarningUpdate>(), w => w.Message.Contains("no provider of fallbackOrder is left"));
    }

    [Fact]
    public async Task NoFallback_ends_the_run_Failed_with_the_rate_limit()
    {
        var (final, _, handle) = await RunAsync(Request(Config("codex", "claude-code"), "Say hi [[rate-limit:codex]]", "codex", noFallback: true));
        Assert.Equal(handle.SessionId, final.Id);
        Assert.Equal(SessionStatus.Failed, final.Status);
        Assert.Contains("Rate limited", final.Error);
        Assert.Null(handle.Next);
    }

    [Fact]
    public async Task A_provider_that_is_not_installed_falls_back_with_a_warning()
    {
        var config = Config("codex", "claude-code");
        config.Providers["codex"].Command = _temp.Combine("no-such-codex");
        var (final, updates, _) = await RunAsync(Request(config, "Say hi", "codex"));
        Assert.Equal(("claude-code", SessionStatus.Completed), (final.Provider, final.Status));
        Assert.Null(final.FallbackOf);
        Assert.Contains(updates.OfType<RunWarningUpdate>(), w => w.Message.Contains("not installed") && w.Message.Contains("Falling back to claude-code"));
    }

    [Fact]
    public void Without_fallback_a_missing_provider_is_refused()
    {
        var config = Config("codex", "claude-code");
        config.Providers["codex"].Command = _temp.Combine("no-such-codex");
        var e = Assert.Throws<RunRequestException>(() => _engine.Runs.Check(Request(config, "Say hi", "codex", noFallback: true)));
        Assert.Equal(RunRequestProblem.ProviderNotInstalled, e.Kind);
    }

    [Theory]
    [InlineData("b", "c")]
    [InlineData("c", "a")]
    [InlineData("x", "a")]
    public void Next_follows_the_list_and_wraps_round(string current, string next) =>
        Assert.Equal(next, Fallbacks.Next(new ClimuxConfig { FallbackOrder = ["a", "b", "c"] }, current, []));

    [Fact]
    public void Next_skips_what_was_tried()
    {
        var config = new ClimuxConfig { FallbackOrder = ["a", "b", "c"] };
        Assert.Equal("c", Fallbacks.Next(config, "a", ["b"]));
        Assert.Null(Fallbacks.Next(config, "c", ["a", "b"]));
    }
}
