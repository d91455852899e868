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

    [Fact]
    public void An_invalid_stats_period_is_ClimuxStatsInvalidRange()
    {
        var result = _cli.Run("stats", "--from", "2026-02-01", "--to", "2026-01-01");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("ClimuxStatsInvalidRange", result.Error);
    }
}
