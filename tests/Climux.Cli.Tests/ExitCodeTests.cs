using System.Text.Json;
using Climux.Cli.Tests.Support;

namespace Climux.Cli.Tests;

/// <summary>The documented exit codes, from real runs of the fake agents.</summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string StatusOf(CliResult result) => JsonDocument.Parse(result.Out).RootElement.GetProperty("status").GetString()!;

    [Fact]
    public void A_completed_run_exits_0_with_its_answer_on_stdout()
    {
        var result = _cli.Run("run", "hello", "--provider", "claude-code");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal("MOCK_REPLY turn=1: you said \"hello\"\n", result.Out);
        Assert.Contains("Completed", result.Error);
    }

    [Fact]
    public void A_failed_run_exits_1_with_ClimuxRunFailed()
    {
        var result = _cli.Run("run", "break [[error]]", "--json");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Equal("Failed", StatusOf(result));
        Assert.Contains("ClimuxRunFailed", result.Error);
    }

    [Fact]
    public void A_run_past_its_timeout_exits_4_with_ClimuxRunTimedOut()
    {
        var result = _cli.Run("run", "wait [[hang]]", "--timeout", "1", "--json");

        Assert.Equal(ExitCodes.TimedOut, result.ExitCode);
        Assert.Equal("TimedOut", StatusOf(result));
        Assert.Contains("ClimuxRunTimedOut", result.Error);
    }

    [Fact]
    public async Task A_stopped_run_exits_5()
    {
        var run = Task.Run(() => _cli.Run("run", "wait [[hang]]", "--name", "to-stop", "--json"));
        CliResult stop;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(200);
            stop = _cli.Run("session", "stop", "to-stop");
        }
        while (stop.ExitCode != 0 && DateTime.UtcNow < deadline);

        var result = await run;
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal(ExitCodes.Stopped, result.ExitCode);
        Assert.Equal("Stopped", StatusOf(result));
    }

    [Fact]
    public void A_spent_budget_exits_6_with_ClimuxBudgetExceeded_and_queues_nothing()
    {
        Assert.Equal(0, _cli.Run("config", "set", "monitoring.maxDailyBudget", "0.01").ExitCode);
        Assert.Equal(0, _cli.Run("run", "spend", "--provider", "claude-code").ExitCode); // costs 0.119 USD

        var refused = _cli.Run("run", "again", "--provider", "claude-code", "--json");

        Assert.Equal(ExitCodes.BudgetRefused, refused.ExitCode);
        Assert.Equal("", refused.Out);
        Assert.Contains("ClimuxBudgetExceeded", refused.Error);
        Assert.Equal(1, JsonDocument.Parse(_cli.Run("session", "list", "--json").Out).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("ClimuxProviderNotFound", "run", "x", "--provider", "no-such-agent")]
    [InlineData("ClimuxDirectoryNotFound", "run", "x", "--worktree", "no-such-worktree")]
    [InlineData("ClimuxSessionNotFound", "session", "show", "zzzzzzzz")]
    [InlineData("ClimuxDependencyNotFound", "run", "x", "--depends-on", "zzzzzzzz")]
    [InlineData("ClimuxWorktreeNotFound", "worktree", "delete", "no-such-worktree")]
    [InlineData("ClimuxWorktreeInvalidName", "worktree", "create", "HEAD")]
    [InlineData("ClimuxConfigKeyInvalid", "config", "set", "no.such.key", "1")]
    [InlineData("ClimuxUsage", "run", "x", "--mode", "yolo")]
    public void Bad_input_exits_2_with_the_cmdlets_error_id(string errorId, params string[] args)
    {
        var result = _cli.Run(args);

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains($"error {errorId}:", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void Wait_past_its_timeout_exits_7_with_the_sessions_as_they_are()
    {
        var queued = _cli.Run("run", "wait [[hang]]", "--background", "--json");
        Assert.True(queued.ExitCode == 0, queued.ToString());
        var id = JsonDocument.Parse(queued.Out).RootElement.GetProperty("sessionId").GetString()!;
        try
        {
            var waited = _cli.Run("session", "wait", id, "--timeout", "1", "--json");

            Assert.Equal(ExitCodes.WaitTimeout, waited.ExitCode);
            Assert.Contains("ClimuxWaitTimeout", waited.Error);
            Assert.Equal(id, JsonDocument.Parse(waited.Out).RootElement[0].GetProperty("sessionId").GetString());
        }
        finally
        {
            _cli.Run("session", "stop", id);
        }
    }

    [Fact]
    public void Wait_exits_with_the_code_of_a_session_that_did_not_complete()
    {
        _cli.Run("run", "ok", "--name", "good");
        _cli.Run("run", "bad [[error]]", "--name", "bad");

        Assert.Equal(ExitCodes.Success, _cli.Run("session", "wait", "good").ExitCode);
        Assert.Equal(ExitCodes.Failed, _cli.Run("session", "wait", "good", "bad").ExitCode);
    }
}
