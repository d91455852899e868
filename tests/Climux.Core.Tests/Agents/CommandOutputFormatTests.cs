using Climux.Core.Agents;
using Climux.Core.Config;

namespace Climux.Core.Tests.Agents;

/// <summary>A command provider picks any built-in parser with output:, so a fork of a big CLI needs only config.</summary>
public sealed class CommandOutputFormatTests
{
    private static CommandProvider Fork(string output)
    {
        var config = ConfigLoader.Validate($"providers:\n  fork: {{ command: /usr/bin/fork, output: {output} }}\n", "config.yaml");
        return new CommandProvider("fork", config.Providers["fork"]);
    }

    [Theory]
    [InlineData("claude-stream-json", "claude", "01-stream", "claude-opus-4-8")]
    [InlineData("codex-json", "codex", "01-exec-json", null)]
    [InlineData("gemini-stream-json", "gemini", "02-stream", null)]
    [InlineData("opencode-json", "opencode", "01-run-json", null)]
    public void Each_built_in_format_reads_its_CLIs_recording(string output, string cli, string recording, string? model)
    {
        var run = ParserRun.Recording(Fork(output), cli, recording);
        Assert.NotNull(run.Observation.NativeSessionId);
        Assert.Contains("MOCK_REPLY", run.Observation.ResultText);
        Assert.True(run.Observation.Usage.Total > 0);
        if (model is not null)
            Assert.Equal(model, run.Observation.Model);
    }

    [Fact]
    public void An_unknown_format_names_the_known_ones()
    {
        var e = Assert.Throws<ConfigException>(() => Fork("xml"));
        Assert.Contains("claude-stream-json", e.Message);
        Assert.Contains("opencode-json", e.Message);
    }
}

/// <summary>Qwen Code prints Claude Code's stream-json (recorded from qwen-code 0.24.4 against the mock model).</summary>
public sealed class QwenStreamTests
{
    [Fact]
    public void A_recorded_qwen_run_reads_as_claude_stream_json()
    {
        var run = ParserRun.Recording(new QwenCodeProvider(), "qwen", "01-stream-write");
        var o = run.Observation;
        Assert.Matches("^[0-9a-f-]{36}$", o.NativeSessionId);
        Assert.Equal("qwen3-coder-plus", o.Model);
        Assert.Equal("Done: handled tool result for mock_output.txt. (turn=1)", o.ResultText);
        Assert.False(o.ResultIsError);
        Assert.True(o.Turns >= 2);
        Assert.Equal((34044L, 100L), (o.Usage.Input, o.Usage.Output));
        Assert.Contains(run.Entries, e => e.Kind == Climux.Core.Sessions.SessionEventKind.ToolCall);
        Assert.DoesNotContain(run.Entries, e => e.Data == AgentOutputParser.UnknownOutputData);
    }
}
