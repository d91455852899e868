using Climux.Core.Config;
using Climux.Core.Providers;
using Climux.Core.Store;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Providers;

public sealed class ProviderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Script(string name, string body)
    {
        var path = _temp.Write(Path.Combine("bin", name), "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    [Theory]
    [InlineData("2.1.197 (Claude Code)", "2.1.197")]
    [InlineData("codex-cli 0.169.0", "0.169.0")]
    [InlineData("v1.18.33\n", "1.18.33")]
    [InlineData("0.61.0-nightly.20261101", "0.61.0-nightly.20261101")]
    [InlineData("no version here", null)]
    public void Versions_are_read_from_what_the_cli_prints(string output, string? version) =>
        Assert.Equal(version, ProviderVersionProbe.ParseVersion(output));

    [Fact]
    public void Commands_resolve_on_path_only_when_executable()
    {
        if (OperatingSystem.IsWindows())
            return;
        var tool = Script("tool", "exit 0");
        _temp.Write(Path.Combine("bin", "notexec"), "x");
        var bin = Path.GetDirectoryName(tool)!;
        Assert.Equal(tool, CommandResolver.Resolve("tool", bin));
        Assert.Null(CommandResolver.Resolve("notexec", bin));
        Assert.Null(CommandResolver.Resolve("missing", bin));
        Assert.Equal(tool, CommandResolver.Resolve(tool));
    }

    [Fact]
    public async Task A_cli_that_hangs_is_given_up_on_and_the_answer_is_cached()
    {
        if (OperatingSystem.IsWindows())
            return;
        var marker = _temp.Combine("ran");
        var hang = Script("hang", $"echo x >> '{marker}'; exec sleep 30");
        var probe = new ProviderVersionProbe(ClimuxStore.Open(_temp.Home()));

        var answer = await probe.GetAsync("gemini-cli", hang, null, TimeSpan.FromMilliseconds(300), refresh: false);
        Assert.Null(answer.Version);
        Assert.Contains("did not answer", answer.Note);

        var again = await probe.GetAsync("gemini-cli", hang, null, TimeSpan.FromMilliseconds(300), refresh: false);
        Assert.Equal(answer, again);
        Assert.Single(File.ReadAllLines(marker));
    }

    [Fact]
    public async Task Versions_are_cached_until_the_file_changes()
    {
        if (OperatingSystem.IsWindows())
            return;
        var marker = _temp.Combine("ran");
        var cli = Script("claude", $"echo x >> '{marker}'; echo '2.1.197 (Claude Code)'");
        var probe = new ProviderVersionProbe(ClimuxStore.Open(_temp.Home()));
        Assert.Equal("2.1.197", (await probe.GetAsync("claude-code", cli, null, TimeSpan.FromSeconds(10), false)).Version);
        Assert.Equal("2.1.197", (await probe.GetAsync("claude-code", cli, null, TimeSpan.FromSeconds(10), false)).Version);
        Assert.Single(File.ReadAllLines(marker));

        Script("claude", $"echo x >> '{marker}'; echo '2.2.0 (Claude Code)' # a new build");
        Assert.Equal("2.2.0", (await probe.GetAsync("claude-code", cli, null, TimeSpan.FromSeconds(10), false)).Version);
        Assert.Equal("2.2.0", (await probe.GetAsync("claude-code", cli, null, TimeSpan.FromSeconds(10), refresh: true)).Version);
        Assert.Equal(3, File.ReadAllLines(marker).Length);
    }

    [Fact]
    public async Task The_directory_lists_built_ins_and_declared_commands()
    {
        if (OperatingSystem.IsWindows())
            return;
        var codex = Script("codex", "echo 'codex-cli 0.169.0'");
        var config = new ClimuxConfig();
        config.Providers["codex"] = new ProviderConfig { Command = codex, Model = "gpt-5.1-codex" };
        config.Providers["my-agent"] = new ProviderConfig { Command = "definitely-not-installed-climux" };
        config.DefaultProvider = "codex";

        var names = ProviderDirectory.Names(config);
        Assert.Equal(["claude-code", "codex", "gemini-cli", "opencode", "qwen-code", "my-agent"], names);

        var listed = await new ProviderDirectory(ClimuxStore.Open(_temp.Home())).DescribeAsync(config, ["codex", "my-agent"], TimeSpan.FromSeconds(10), false);
        var c = listed.Single(p => p.Name == "codex");
        Assert.True(c.Installed);
        Assert.Equal("0.169.0", c.Version);
        Assert.Equal(codex, c.Path);
        Assert.True(c.IsDefault);
        Assert.Equal("npm install -g @openai/codex", c.InstallCommand);
        var mine = listed.Single(p => p.Name == "my-agent");
        Assert.False(mine.Installed);
        Assert.Equal(ProviderKind.Command, mine.Kind);
        Assert.Contains("not found", mine.Note);
    }
}
