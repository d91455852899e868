using Climux.Core.Agents;
using Climux.Core.Config;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.Agents;

/// <summary>
/// Numbers in an agent's output are the agent's to choose: out-of-range tokens and costs are refused
/// (with a warning event) at one place, the observation, whichever parser read them.
/// </summary>
public sealed class HostileNumbersTests
{
    private static ParserRun Jsonl() =>
        ParserRun.Of(new CommandProvider("mine", new ProviderConfig { Command = "/bin/x", Output = ProviderOutput.Jsonl }), "m1");

    private static IEnumerable<TranscriptEntry> Refusals(ParserRun run) =>
        run.Entries.Where(e => e.Kind == SessionEventKind.Error && e.Data == RunObservation.RefusedData);

    [Fact]
    public void Negative_tokens_and_a_negative_cost_are_refused_with_a_warning()
    {
        var run = Jsonl().Feed(
            """{"type":"usage","input_tokens":100,"output_tokens":20,"cost_usd":0.5}""",
            """{"type":"usage","input_tokens":-1000,"output_tokens":5}""",
            """{"type":"usage","input_tokens":1,"output_tokens":1,"cost_usd":-100}""").Complete();
        Assert.Equal(new TokenUsage(101, 21, 0, 0), run.Observation.Usage);
        Assert.Equal(0.5m, run.Observation.ReportedCostUsd);
        var refusals = Refusals(run).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.Contains("-1000", refusals[0].Text);
        Assert.Contains("-100", refusals[1].Text);
    }

    [Fact]
    public void Huge_token_counts_are_refused_and_never_overflow_the_sums()
    {
        var run = Jsonl().Feed(
            """{"type":"usage","input_tokens":10,"output_tokens":9223372036854775807}""",
            """{"type":"usage","input_tokens":10,"output_tokens":9223372036854775807}""",
            """{"type":"usage","input_tokens":1e30,"output_tokens":1}""",
            """{"type":"usage","input_tokens":5,"output_tokens":5}""").Complete();
        Assert.Equal(new TokenUsage(5, 5, 0, 0), run.Observation.Usage);
        Assert.Equal(3, Refusals(run).Count());
    }

    [Fact]
    public void A_run_cannot_pile_up_more_than_the_limit_from_values_each_within_it()
    {
        var lines = Enumerable.Repeat("""{"type":"usage","input_tokens":600000000000,"output_tokens":1}""", 3);
        var run = Jsonl().Feed(lines).Complete();
        Assert.Equal(600_000_000_000, run.Observation.Usage.Input);
        Assert.Equal(2, Refusals(run).Count());
        Assert.All(run.Observation.UsageByModel.Values, u => Assert.InRange(u.Total, 0, 4 * RunObservation.MaxTokens));
    }

    [Fact]
    public void A_cost_too_large_for_a_decimal_is_refused_without_losing_the_tokens_beside_it()
    {
        var result = """
            {"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":"done","session_id":"s1","total_cost_usd":1e300,
             "usage":{"input_tokens":7,"output_tokens":3,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}
            """.ReplaceLineEndings("");
        var run = ParserRun.Of(new ClaudeCodeProvider(), "claude-sonnet-4-5").Feed(result).Complete();
        Assert.Null(run.Observation.ReportedCostUsd);
        Assert.Equal(new TokenUsage(7, 3, 0, 0), run.Observation.Usage);
        Assert.Equal("done", run.Observation.ResultText);
        Assert.Contains(Refusals(run), e => e.Text!.Contains("cost"));
    }

    [Theory]
    [InlineData("""{"type":"step_finish","part":{"type":"step-finish","cost":-100,"tokens":{"input":1,"output":1,"reasoning":0,"cache":{"read":0,"write":0}}}}""")]
    [InlineData("""{"type":"step_finish","part":{"type":"step-finish","cost":2000000,"tokens":{"input":1,"output":1,"reasoning":0,"cache":{"read":0,"write":0}}}}""")]
    public void OpenCode_costs_out_of_range_are_refused(string line)
    {
        var run = ParserRun.Of(new OpenCodeProvider(), "openai/gpt-5").Feed(line).Complete();
        Assert.Null(run.Observation.ReportedCostUsd);
        Assert.Single(Refusals(run));
    }

    [Fact]
    public void Codex_cached_tokens_cannot_make_input_negative_or_huge()
    {
        var run = ParserRun.Of(new CodexProvider(), "gpt-5").Feed(
            """{"type":"turn.completed","usage":{"input_tokens":5,"cached_input_tokens":-1000000000000000,"output_tokens":1}}""").Complete();
        Assert.Equal(TokenUsage.Zero, run.Observation.Usage);
        Assert.Single(Refusals(run));
    }

    [Fact]
    public void A_turn_count_cannot_wrap_around()
    {
        var run = ParserRun.Of(new ClaudeCodeProvider(), "claude-sonnet-4-5").Feed(
            """{"type":"result","subtype":"success","is_error":false,"num_turns":9223372036854775807,"result":"r","total_cost_usd":0.1}""").Complete();
        Assert.InRange(run.Observation.Turns, 0, RunObservation.MaxTurns);
        Assert.Equal(0.1m, run.Observation.ReportedCostUsd);
    }
}
