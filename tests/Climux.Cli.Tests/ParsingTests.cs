using Climux.Cli.Tests.Support;

namespace Climux.Cli.Tests;

public sealed class ParsingTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("no-such-command")]
    [InlineData("status", "--no-such-option")]
    [InlineData("stats", "--by", "planet")]
    [InlineData("status", "--watch", "--interval", "0")]
    public void Bad_input_exits_2_with_the_error_on_stderr_and_nothing_on_stdout(params string[] args)
    {
        var result = _cli.Run(args);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("climux: error Climux", result.Error);
    }

    [Fact]
    public void Help_lists_the_commands_the_examples_and_the_exit_codes()
    {
        var root = _cli.Run("--help");
        var status = _cli.Run("status", "--help");

        Assert.Equal(0, root.ExitCode);
        Assert.Contains("status", root.Out);
        Assert.Contains("stats", root.Out);
        Assert.Contains("climux status --json | jq .activeSessions", status.Out);
        Assert.Contains("6  refused: today's budget is spent", status.Out);
    }

    [Theory]
    [InlineData("run", "--help")]
    [InlineData("session", "export", "--help")]
    [InlineData("session", "delete", "-h")]
    public void Help_of_a_command_with_required_input_is_shown_without_that_input(params string[] args)
    {
        var result = _cli.Run(args);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Description:", result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void An_invalid_stats_period_is_ClimuxStatsInvalidRange()
    {
        var result = _cli.Run("stats", "--from", "2026-02-01", "--to", "2026-01-01");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("ClimuxStatsInvalidRange", result.Error);
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _climux_complete climux")]
    [InlineData("zsh", "compdef _climux climux")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName climux")]
    public void Completion_prints_a_script_for_each_shell(string shell, string expected)
    {
        var result = _cli.Run("completion", shell);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expected, result.Out);
    }

    [Fact]
    public void The_suggest_directive_the_scripts_use_completes_commands_and_values()
    {
        Assert.Equal("session\n", _cli.Run("[suggest:11]", "climux sess").Out);
        Assert.Contains("Provider", _cli.Run("[suggest:19]", "climux stats --by p").Out);
    }

    [Theory]
    [InlineData(null, false, true)]
    [InlineData("", false, true)]
    [InlineData("1", false, false)]
    [InlineData(null, true, false)]
    public void Colors_only_on_a_terminal_and_without_NO_COLOR(string? noColor, bool redirected, bool expected) =>
        Assert.Equal(expected, CliContext.UseColor(noColor, redirected));

    [Fact]
    public void Errors_are_painted_only_when_colors_are_on()
    {
        var error = new StringWriter();
        var context = new CliContext(TextWriter.Null, error, _cli.Repo, () => new Climux.Core.Paths.ClimuxHome(_cli.Home), color: true);

        CliErrors.Report(context, new CliException("ClimuxUsage", "x"));

        Assert.Equal("climux: \e[31merror\e[0m ClimuxUsage: x\n", error.ToString());
    }
}
