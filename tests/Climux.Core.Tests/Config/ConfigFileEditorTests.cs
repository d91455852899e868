using Climux.Core.Config;
using Climux.Core.Tests.Support;

namespace Climux.Core.Tests.Config;

public sealed class ConfigFileEditorTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _file;

    public ConfigFileEditorTests() => _file = _temp.Combine("home", "config.yaml");

    public void Dispose() => _temp.Dispose();

    private ClimuxConfig Reload() => ConfigLoader.Validate(File.ReadAllText(_file), _file);

    [Fact]
    public void Changing_a_value_keeps_every_comment_of_the_starter_file()
    {
        _temp.Write("home/config.yaml", ConfigTemplate.For(ConfigScope.User));
        ConfigFileEditor.Set(_file, "concurrency.maxActiveSessions", 7);
        var text = File.ReadAllText(_file);
        Assert.Contains("maxActiveSessions: 7            # running sessions at once", text);
        Assert.Equal(ConfigTemplate.For(ConfigScope.User).Split('\n').Length, text.Split('\n').Length);
        Assert.Equal(7, Reload().Concurrency.MaxActiveSessions);
    }

    [Fact]
    public void An_inline_list_is_replaced_inline_and_its_comment_stays()
    {
        _temp.Write("home/config.yaml", ConfigTemplate.For(ConfigScope.User));
        ConfigFileEditor.Set(_file, "worktrees.copy", new List<object?> { ".env", ".env.local" });
        ConfigFileEditor.Set(_file, "providers", new Dictionary<string, object?> { ["codex"] = new Dictionary<string, object?> { ["model"] = "gpt-5" } });
        var text = File.ReadAllText(_file);
        Assert.Matches(@"copy: \[\.env, \.env\.local\] +# untracked files", text);
        Assert.Contains("# Climux user configuration", text);
        Assert.Equal([".env", ".env.local"], Reload().Worktrees.Copy);
        Assert.Equal("gpt-5", Reload().Providers["codex"].Model);
    }

    [Fact]
    public void A_new_key_goes_into_its_section_with_the_section_indentation()
    {
        _temp.Write("home/config.yaml", "# mine\nconcurrency:\n    maxActiveSessions: 2   # two\nmonitoring:\n    alertThreshold: 0.5\n");
        ConfigFileEditor.Set(_file, "concurrency.maxSessionsPerWorkspace", 1);
        var text = File.ReadAllText(_file);
        Assert.Equal("# mine\nconcurrency:\n    maxActiveSessions: 2   # two\n    maxSessionsPerWorkspace: 1\nmonitoring:\n    alertThreshold: 0.5\n", text);
        Assert.Equal(1, Reload().Concurrency.MaxSessionsPerWorkspace);
    }

    [Fact]
    public void A_new_section_is_appended_and_comments_stay()
    {
        _temp.Write("home/config.yaml", ConfigTemplate.For(ConfigScope.Project));
        ConfigFileEditor.Set(_file, "providers.codex.model", "gpt-5.1-codex");
        var text = File.ReadAllText(_file);
        Assert.StartsWith(ConfigTemplate.For(ConfigScope.Project), text);
        Assert.Equal("gpt-5.1-codex", Reload().Providers["codex"].Model);
    }

    [Fact]
    public void Lists_dictionaries_and_model_names_with_dots_are_written()
    {
        ConfigFileEditor.Set(_file, "worktrees.copy", new List<object?> { ".env", ".env.local" });
        ConfigFileEditor.Set(_file, "pricing.gpt-5.1.input", 1.25m);
        ConfigFileEditor.Set(_file, "providers.my-agent", new Dictionary<string, object?> { ["command"] = "aider", ["args"] = new List<object?> { "--yes", "{prompt}" }, ["output"] = "text" });
        var c = Reload();
        Assert.Equal([".env", ".env.local"], c.Worktrees.Copy);
        Assert.Equal(1.25m, c.Pricing["gpt-5.1"].Input);
        Assert.Equal(["--yes", "{prompt}"], c.Providers["my-agent"].Args!);
        Assert.Equal(ProviderOutput.Text, c.Providers["my-agent"].Output);
    }

    [Theory]
    [InlineData("has: colon")]
    [InlineData("true")]
    [InlineData("123")]
    [InlineData(" padded ")]
    [InlineData("quote \" and # hash")]
    [InlineData("")]
    public void Text_values_read_back_exactly(string value)
    {
        ConfigFileEditor.Set(_file, "providers.codex.model", value);
        ConfigFileEditor.Set(_file, "providers.codex.model", value); // second time: edited in place
        Assert.Equal(value, Reload().Providers["codex"].Model);
    }

    [Fact]
    public void A_bad_value_is_refused_and_the_file_is_left_alone()
    {
        _temp.Write("home/config.yaml", "concurrency:\n  maxActiveSessions: 2\n");
        var e = Assert.Throws<ConfigException>(() => ConfigFileEditor.Set(_file, "concurrency.maxActiveSessions", "lots"));
        Assert.Equal("concurrency.maxActiveSessions", e.Key);
        Assert.Null(e.FilePath);
        Assert.Equal("concurrency:\n  maxActiveSessions: 2\n", File.ReadAllText(_file));
    }

    [Fact]
    public void A_broken_file_is_not_edited()
    {
        _temp.Write("home/config.yaml", "concurrency: [\n");
        var e = Assert.Throws<ConfigException>(() => ConfigFileEditor.Set(_file, "defaultProvider", "codex"));
        Assert.Equal(_file, e.FilePath);
    }

    [Fact]
    public void Remove_deletes_the_key_lines_and_keeps_the_rest()
    {
        _temp.Write("home/config.yaml", "# top\nconcurrency:\n  maxActiveSessions: 2 # a\n  maxSessionsPerWorkspace: 1\nworktrees:\n  copy:\n    - .env\n    - .npmrc\n  enforceNaming: true\n");
        Assert.True(ConfigFileEditor.Remove(_file, "worktrees.copy"));
        Assert.True(ConfigFileEditor.Remove(_file, "concurrency.maxActiveSessions"));
        Assert.False(ConfigFileEditor.Remove(_file, "monitoring.alertThreshold"));
        Assert.Equal("# top\nconcurrency:\n  maxSessionsPerWorkspace: 1\nworktrees:\n  enforceNaming: true\n", File.ReadAllText(_file));
        Assert.Equal(5, Reload().Concurrency.MaxActiveSessions);
    }

    [Fact]
    public void Files_are_written_owner_only()
    {
        if (OperatingSystem.IsWindows())
            return;
        ConfigFileEditor.Set(_file, "defaultProvider", "codex");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_file));
    }
}
