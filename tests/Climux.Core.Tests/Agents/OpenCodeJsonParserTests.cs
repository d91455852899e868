using Climux.Core.Agents;
using Climux.Core.Pricing;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.Agents;

public sealed class OpenCodeJsonParserTests
{
    private const string FirstSession = "ses_df1b79641ffeuxXUfe0YysYXHI";

    private static readonly OpenCodeProvider Provider = new();

    private static ParserRun Recording(string name, string? model = null) => ParserRun.Recording(Provider, "opencode", name, model);

    [Fact]
    public void Run_json_gives_init_message_and_usage()
    {
        var run = Recording("01-run-json");

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Usage], run.Kinds);
        Assert.Equal($"opencode session {FirstSession}", run.Entries[0].Text);
        Assert.Equal(FirstSession, JsonData.Parse(run.Entries[0].Data).GetProperty("session_id").GetString());
        Assert.Equal(new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "MOCK_REPLY turn=2: you said \"\"hello mock, say something\"\""), run.Entries[1]);
        Assert.Equal(7597, JsonData.Parse(run.Entries[2].Data).GetProperty("cache").GetProperty("write").GetInt64());
    }

    [Fact]
    public void Run_json_fills_the_observation()
    {
        var o = Recording("01-run-json").Observation;

        Assert.Equal(FirstSession, o.NativeSessionId);
        Assert.Null(o.Model);
        Assert.Equal(1, o.Turns);
        Assert.Equal("MOCK_REPLY turn=2: you said \"\"hello mock, say something\"\"", o.ResultText);
        Assert.False(o.ResultIsError);
        Assert.Null(o.ErrorText);
        Assert.Equal(0.02887875m, o.ReportedCostUsd);
        var usage = Assert.Single(o.UsageByModel);
        Assert.Equal(RunObservation.UnknownModel, usage.Key);
        Assert.Equal(new TokenUsage(Input: 20, Output: 22, CacheRead: 0, CacheWrite: 7597), usage.Value);
    }

    [Fact]
    public void Model_is_the_requested_provider_and_model_and_prices_as_the_model()
    {
        var o = Recording("01-run-json", "mockant/claude-sonnet-4-5").Observation;

        Assert.Equal("mockant/claude-sonnet-4-5", o.Model);
        Assert.Equal(new TokenUsage(20, 22, 0, 7597), Assert.Single(o.UsageByModel, kv => kv.Key == "mockant/claude-sonnet-4-5").Value);
        Assert.Equal(o.ReportedCostUsd, new PricingTable().Cost(o.UsageByModel).Cost);
    }

    [Fact]
    public void A_model_without_provider_prefix_is_kept_whole()
    {
        Assert.Equal("claude-sonnet-4-5", Recording("01-run-json", "claude-sonnet-4-5").Observation.Model);
    }

    [Fact]
    public void Tool_run_has_two_steps_with_summed_cost()
    {
        var run = Recording("05-tool", "mockant/claude-sonnet-4-5");
        var o = run.Observation;

        Assert.Equal(
            [SessionEventKind.Init, SessionEventKind.ToolCall, SessionEventKind.ToolResult, SessionEventKind.Usage, SessionEventKind.Message, SessionEventKind.Usage],
            run.Kinds);
        Assert.Equal("ses_df1b737a4ffeVgjFWNGWZJlQMl", o.NativeSessionId);
        Assert.Equal(2, o.Turns);
        Assert.Equal(0.0030888m + 0.0026838m, o.ReportedCostUsd);
        Assert.Equal(0.0057726m, o.ReportedCostUsd);
        Assert.Equal(new TokenUsage(40, 71, 15292, 0), o.UsageByModel["mockant/claude-sonnet-4-5"]);
        Assert.Equal(0.0057726m, new PricingTable().Cost(o.UsageByModel).Cost);
        Assert.Equal("Done: handled tool result for mock_output.txt. (turn=9)", o.ResultText);
    }

    [Fact]
    public void Tool_run_gives_the_write_call_with_its_output()
    {
        var run = Recording("05-tool");

        var call = run.Entries[1];
        Assert.Equal("write", call.Tool);
        var input = JsonData.Parse(call.Data);
        Assert.Equal("HARNESS/tmphome/opencodePATH", input.GetProperty("filePath").GetString());
        Assert.Equal("hello from the mock model\n", input.GetProperty("content").GetString());
        Assert.Equal(new TranscriptEntry(SessionEventKind.ToolResult, Tool: "write", Text: "Wrote file successfully.", Data: """{"status":"completed"}"""), run.Entries[2]);
        Assert.Equal("Done: handled tool result for mock_output.txt. (turn=9)", run.Entries[4].Text);
    }

    [Fact]
    public void A_zero_cost_with_tokens_spent_is_not_taken_as_reported()
    {
        // OpenCode says 0 for a model it has no price for; Climux then computes the cost itself.
        var o = Recording("07-openai-responses", "mockoai/gpt-5.5").Observation;

        Assert.Equal("ses_df1b70942ffeoSs2222M5yzap9", o.NativeSessionId);
        Assert.Equal("mockoai/gpt-5.5", o.Model);
        Assert.Null(o.ReportedCostUsd);
        Assert.Equal(new TokenUsage(7307, 54, 0, 0), o.UsageByModel["mockoai/gpt-5.5"]);
        Assert.Equal("MOCK_REPLY turn=14: you said \"\"via openai provider\"\"", o.ResultText);
    }

    [Fact]
    public void Reasoning_tokens_count_as_output()
    {
        var run = ParserRun.Of(Provider, "openai/gpt-5").Feed(
            """{"type":"step_finish","sessionID":"s1","part":{"type":"step-finish","tokens":{"input":100,"output":10,"reasoning":25,"cache":{"read":50,"write":5}},"cost":0.01}}""");

        Assert.Equal(new TokenUsage(100, 35, 50, 5), run.Observation.UsageByModel["openai/gpt-5"]);
        Assert.Equal(0.01m, run.Observation.ReportedCostUsd);
    }

    [Fact]
    public void A_step_without_cost_leaves_the_cost_unreported()
    {
        var run = ParserRun.Of(Provider).Feed("""{"type":"step_finish","sessionID":"s1","part":{"tokens":{"input":1,"output":2}}}""");

        Assert.Null(run.Observation.ReportedCostUsd);
        Assert.Equal(1, run.Observation.Turns);
    }

    [Fact]
    public void Init_is_emitted_once_for_the_first_session_id()
    {
        var run = Recording("03-session");

        Assert.Single(run.Entries, e => e.Kind == SessionEventKind.Init);
        Assert.Equal(FirstSession, run.Observation.NativeSessionId);
        Assert.Equal("MOCK_REPLY turn=5: you said \"\"next: continue by session id\"\"", run.Observation.ResultText);
        Assert.Equal(new TokenUsage(20, 23, 7658, 0), run.Observation.Usage);
        Assert.Equal(0.0027024m, run.Observation.ReportedCostUsd);
    }

    [Fact]
    public void An_error_event_fails_the_run_with_its_message()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"error","timestamp":1,"sessionID":"ses_x","error":{"name":"APIError","data":{"message":"Rate limited","statusCode":429}}}""");

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Error], run.Kinds);
        Assert.Equal("Rate limited", run.Entries[1].Text);
        Assert.True(run.Observation.ResultIsError);
        Assert.Equal("Rate limited", run.Observation.ErrorText);
        Assert.Equal("ses_x", run.Observation.NativeSessionId);
    }

    [Fact]
    public void An_error_event_without_a_message_uses_its_name()
    {
        var run = ParserRun.Of(Provider).Feed("""{"type":"error","error":{"name":"ProviderAuthError"}}""");

        Assert.Equal("ProviderAuthError", run.Observation.ErrorText);
        Assert.True(run.Observation.ResultIsError);
    }

    [Fact]
    public void A_running_tool_has_no_result_yet()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"tool_use","part":{"type":"tool","tool":"bash","state":{"status":"running","input":{"command":"ls"}}}}""",
            """{"type":"tool_use","part":{"type":"tool","tool":"bash","state":{"status":"error","input":{"command":"rm x"},"error":"denied"}}}""");

        Assert.Equal([SessionEventKind.ToolCall, SessionEventKind.ToolCall, SessionEventKind.ToolResult], run.Kinds);
        Assert.Equal("""{"command":"ls"}""", run.Entries[0].Data);
        Assert.Equal(new TranscriptEntry(SessionEventKind.ToolResult, Tool: "bash", Text: "denied", Data: """{"status":"error"}"""), run.Entries[2]);
    }
}
