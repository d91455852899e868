using Climux.Core.Config;

namespace Climux.Core.Tests.Support;

/// <summary>
/// The fake agent (tests/fakes/FakeAgent, built beside the tests) in place of the real CLIs: it
/// replays their recorded output, and [[markers]] in the prompt choose a scenario (see tests/fakes/README.md).
/// </summary>
internal static class FakeAgents
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "fake-agent.exe" : "fake-agent");

    /// <summary>A config whose built-in providers all run the fake agent, keeping its state under <paramref name="stateFolder"/>.</summary>
    public static ClimuxConfig Config(string stateFolder, int maxActive = 5, int perWorkspace = 5)
    {
        Directory.CreateDirectory(Path.Combine(stateFolder, "fake-state"));
        Directory.CreateDirectory(Path.Combine(stateFolder, "fake-log"));
        var config = new ClimuxConfig
        {
            DefaultProvider = "codex",
            Concurrency = new ConcurrencyConfig { MaxActiveSessions = maxActive, MaxSessionsPerWorkspace = perWorkspace },
        };
        foreach (var (provider, flavor) in new[] { ("claude-code", "claude"), ("codex", "codex"), ("gemini-cli", "gemini"), ("opencode", "opencode") })
        {
            config.Providers[provider] = new ProviderConfig
            {
                Command = Executable,
                Env = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["FAKE_AGENT_CLI"] = flavor,
                    ["FAKE_AGENT_STATE"] = Path.Combine(stateFolder, "fake-state"),
                    ["FAKE_AGENT_LOG"] = Path.Combine(stateFolder, "fake-log"),
                },
            };
        }
        return config;
    }
}
