using Climux.Core.Agents;
using Climux.Core.Pricing;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.Agents;

public sealed class ClaudeStreamParserTests
{
    private const string FirstSession = "11111111-2222-4333-8444-555555555555";
    private const string FirstReply = "MOCK_REPLY turn=1: you said \"hello mock, say something\"";

    private static readonly ClaudeCodeProvider Provider = new();

    private static ParserRun Recording(string name, string? model = null) => ParserRun.Recording(Provider, "claude", name, model);

    private static decimal PricedCost(RunObservation o) => new PricingTable().Cost(o.UsageByModel).Cost;

    [Fact]
    public void Stream_recording_gives_init_message_and_result()
    {
        var run = Recording("01-stream");

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Result], run.Kinds);
        var init = run.Entries[0];
        Assert.Equal($"claude-code session {FirstSession} (claude-opus-4-8[1m], default)", init.Text);
        var initData = JsonData.Parse(init.Data);
        Assert.Equal(FirstSession, initData.GetProperty("session_id").GetString());
        Assert.Equal("claude-opus-4-8[1m]", initData.GetProperty("model").GetString());
        Assert.Equal("default", initData.GetProperty("permission_mode").GetString());
        Assert.Equal("2.1.197", initData.GetProperty("version").GetString());

        Assert.Equal(new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: FirstReply), run.Entries[1]);

        var result = run.Entries[2];
        Assert.Equal(FirstReply, result.Text);
        var resultData = JsonData.Parse(result.Data);
        Assert.Equal("success", resultData.GetProperty("subtype").GetString());
        Assert.False(resultData.GetProperty("is_error").GetBoolean());
        Assert.Equal(1, resultData.GetProperty("num_turns").GetInt32());
        Assert.Equal(0.11909375m, resultData.GetProperty("total_cost_usd").GetDecimal());
    }

    [Fact]
    public void Stream_recording_fills_the_observation()
    {
        var o = Recording("01-stream").Observation;

        Assert.Equal(FirstSession, o.NativeSessionId);
        Assert.Equal("claude-opus-4-8", o.Model);
        Assert.Equal(1, o.Turns);
        Assert.Equal(FirstReply, o.ResultText);
        Assert.False(o.ResultIsError);
        Assert.Null(o.ErrorText);
        Assert.Equal(0.11909375m, o.ReportedCostUsd);
        var usage = Assert.Single(o.UsageByModel);
        Assert.Equal("claude-opus-4-8", usage.Key);
        Assert.Equal(new TokenUsage(Input: 20, Output: 21, CacheRead: 0, CacheWrite: 18955), usage.Value);
        Assert.Equal(new TokenUsage(20, 21, 0, 18955), o.Usage);
    }

    [Fact]
    public void Running_usage_from_the_assistant_message_is_replaced_by_the_results_model_usage()
    {
        var lines = Recordings.Lines("claude", "01-stream");
        var run = ParserRun.Of(Provider);

        run.Feed(lines[0], lines[1]);
        Assert.Equal(new TokenUsage(20, 1, 0, 18955), run.Observation.Usage);
        Assert.Equal(1, run.Observation.Turns);
        Assert.Null(run.Observation.ReportedCostUsd);

        run.Feed(lines[2]);
        Assert.Equal(new TokenUsage(20, 21, 0, 18955), run.Observation.Usage);
    }

    [Fact]
    public void Reported_cost_equals_the_pricing_table_cost_for_claude_opus_4_8()
    {
        var first = Recording("01-stream").Observation;
        var tool = Recording("07-tool-write").Observation;

        Assert.Equal(0.11909375m, first.ReportedCostUsd);
        Assert.Equal(0.11909375m, PricedCost(first));
        Assert.Equal(0.1303075m, tool.ReportedCostUsd);
        Assert.Equal(0.1303075m, PricedCost(tool));
    }

    [Fact]
    public void Resumed_stream_keeps_the_session_and_counts_cache_reads()
    {
        var run = Recording("05-resume-stream");
        var o = run.Observation;

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Result], run.Kinds);
        Assert.Equal(FirstSession, o.NativeSessionId);
        Assert.Equal("claude-opus-4-8", o.Model);
        Assert.Equal(1, o.Turns);
        Assert.Equal("MOCK_REPLY turn=5: you said \"and once more\"", o.ResultText);
        Assert.Equal(0.0100695m, o.ReportedCostUsd);
        Assert.Equal(new TokenUsage(20, 18, 19039, 0), Assert.Single(o.UsageByModel, kv => kv.Key == "claude-opus-4-8").Value);
        Assert.Equal(0.0100695m, PricedCost(o));
    }

    [Fact]
    public void Tool_write_gives_a_tool_call_and_a_result_named_after_it()
    {
        var run = Recording("07-tool-write");

        Assert.Equal(
            [SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.ToolCall, SessionEventKind.ToolResult, SessionEventKind.Message, SessionEventKind.Result],
            run.Kinds);
        Assert.Equal("claude-code session ec6dc124-c68f-4e2c-92bf-377dadfa193e (claude-opus-4-8[1m], bypassPermissions)", run.Entries[0].Text);
        Assert.Equal("I will write the file now.", run.Entries[1].Text);

        var call = run.Entries[2];
        Assert.Equal("Write", call.Tool);
        var input = JsonData.Parse(call.Data);
        Assert.Equal("HARNESS/tmphome/claudePATH", input.GetProperty("file_path").GetString());
        Assert.Equal("hello from the mock model\n", input.GetProperty("content").GetString());

        var result = run.Entries[3];
        Assert.Equal("Write", result.Tool);
        Assert.Equal("File created successfully at: HARNESS/tmphome/claudePATH (file state is current in your context — no need to Read it back)", result.Text);
        Assert.Null(result.Data);

        Assert.Equal(new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "Done: handled tool result for mock_output.txt. (turn=8)"), run.Entries[4]);
        Assert.Equal("Done: handled tool result for mock_output.txt. (turn=8)", run.Entries[5].Text);
    }

    [Fact]
    public void Tool_write_counts_each_message_once_and_ends_with_the_result_totals()
    {
        var lines = Recordings.Lines("claude", "07-tool-write");
        var run = ParserRun.Of(Provider);

        run.Feed(lines[..3]);
        Assert.Equal(new TokenUsage(20, 1, 0, 18954), run.Observation.Usage);
        Assert.Equal(1, run.Observation.Turns);

        run.Feed(lines[3..5]);
        Assert.Equal(new TokenUsage(40, 2, 19090, 18954), run.Observation.Usage);
        Assert.Equal(2, run.Observation.Turns);

        run.Feed(lines[5..]);
        var o = run.Observation;
        Assert.Equal(new TokenUsage(40, 84, 19090, 18954), Assert.Single(o.UsageByModel, kv => kv.Key == "claude-opus-4-8").Value);
        Assert.Equal(2, o.Turns);
        Assert.Equal("ec6dc124-c68f-4e2c-92bf-377dadfa193e", o.NativeSessionId);
        Assert.Equal("Done: handled tool result for mock_output.txt. (turn=8)", o.ResultText);
        Assert.Equal(0.1303075m, o.ReportedCostUsd);
    }

    [Fact]
    public void Partial_message_stream_events_are_ignored()
    {
        var run = Recording("10-partial");
        var o = run.Observation;

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Result], run.Kinds);
        Assert.Equal("MOCK_REPLY turn=13: you said \"partial messages\"", run.Entries[1].Text);
        Assert.Equal("ba4001f4-285a-4b80-bda0-2956e2d36ab7", o.NativeSessionId);
        Assert.Equal(1, o.Turns);
        Assert.Equal(new TokenUsage(20, 19, 0, 18952), o.Usage);
        Assert.Equal(0.119025m, o.ReportedCostUsd);
        Assert.Equal(0.119025m, PricedCost(o));
    }

    [Fact]
    public void A_stream_event_line_alone_changes_nothing()
    {
        var lines = Recordings.Lines("claude", "10-partial");
        var run = ParserRun.Of(Provider).Feed(lines[0]);
        var before = ObservationState.Of(run.Observation);

        foreach (var line in lines.Where(l => l.Contains("\"type\":\"stream_event\"", StringComparison.Ordinal)))
            Assert.Empty(run.Read(line));

        Assert.Equal(before, ObservationState.Of(run.Observation));
    }

    [Fact]
    public void Json_output_single_result_line_is_read()
    {
        var run = Recording("02-json");
        var o = run.Observation;

        Assert.Equal([SessionEventKind.Result], run.Kinds);
        Assert.Equal("5a6134df-f99b-4596-8b32-3b493ae5974d", o.NativeSessionId);
        Assert.Equal("MOCK_REPLY turn=2: you said \"second prompt in a new session\"", o.ResultText);
        Assert.False(o.ResultIsError);
        Assert.Equal(1, o.Turns);
        Assert.Equal(0.11914999999999999m, o.ReportedCostUsd);
        Assert.Equal(new TokenUsage(20, 23, 0, 18956), Assert.Single(o.UsageByModel, kv => kv.Key == "claude-opus-4-8").Value);
        Assert.Equal(0.11915m, PricedCost(o));
    }

    [Fact]
    public void Budget_exceeded_result_is_an_error_naming_the_subtype_and_errors()
    {
        var run = Recording("14-budget");
        var o = run.Observation;

        var result = Assert.Single(run.Entries);
        Assert.Equal(SessionEventKind.Result, result.Kind);
        Assert.Null(result.Text);
        Assert.True(o.ResultIsError);
        Assert.Equal("error_max_budget_usd; Reached maximum budget ($0.01)", o.ErrorText);
        Assert.Null(o.ResultText);
        Assert.Equal("140e5144-3846-4c5b-9926-90c8f0c51399", o.NativeSessionId);
        Assert.Equal(1, o.Turns);
        Assert.Equal(0.119025m, o.ReportedCostUsd);
        Assert.Equal(new TokenUsage(20, 17, 0, 18960), Assert.Single(o.UsageByModel, kv => kv.Key == "claude-opus-4-8").Value);

        var data = JsonData.Parse(result.Data);
        Assert.Equal("error_max_budget_usd", data.GetProperty("subtype").GetString());
        Assert.True(data.GetProperty("is_error").GetBoolean());
        Assert.Equal("Reached maximum budget ($0.01)", Assert.Single(data.GetProperty("errors").EnumerateArray()).GetString());
    }

    [Fact]
    public void Max_turns_result_is_an_error_naming_the_subtype_and_errors()
    {
        var run = Recording("15-max-turns");
        var o = run.Observation;

        Assert.Equal([SessionEventKind.Result], run.Kinds);
        Assert.True(o.ResultIsError);
        Assert.Equal("error_max_turns; Reached maximum number of turns (1)", o.ErrorText);
        Assert.Equal("c1e02bfa-16fc-4648-834f-553df83fcbbe", o.NativeSessionId);
        Assert.Equal(2, o.Turns);
        Assert.Equal(0.12013125000000001m, o.ReportedCostUsd);
        Assert.Equal(new TokenUsage(20, 63, 0, 18953), o.Usage);
        Assert.Equal(0.12013125m, PricedCost(o));
    }

    [Fact]
    public void A_later_result_replaces_the_totals_rather_than_adding_to_them()
    {
        var run = Recording("16-stdin-stream");
        var o = run.Observation;

        Assert.Equal(
            [SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Result, SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Result],
            run.Kinds);
        Assert.Equal("MOCK_REPLY turn=20: you said \"second stdin message\"", o.ResultText);
        Assert.Equal(new TokenUsage(40, 40, 19002, 18956), Assert.Single(o.UsageByModel).Value);
        Assert.Equal(0.129176m, o.ReportedCostUsd);
        Assert.Equal(0.129176m, PricedCost(o));
    }

    [Fact]
    public void An_assistant_message_repeated_per_content_block_counts_its_latest_usage_once()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"system","subtype":"init","session_id":"s1","model":"claude-sonnet-4-5"}""",
            """{"type":"assistant","message":{"id":"m1","model":"claude-sonnet-4-5","content":[{"type":"text","text":"a"}],"usage":{"input_tokens":10,"output_tokens":1,"cache_read_input_tokens":100,"cache_creation_input_tokens":50}}}""",
            """{"type":"assistant","message":{"id":"m1","model":"claude-sonnet-4-5","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{}}],"usage":{"input_tokens":10,"output_tokens":7,"cache_read_input_tokens":100,"cache_creation_input_tokens":50}}}""");

        Assert.Equal(new TokenUsage(10, 7, 100, 50), run.Observation.Usage);
        Assert.Equal(1, run.Observation.Turns);

        run.Feed("""{"type":"assistant","message":{"id":"m2","model":"claude-haiku-4-5","content":[{"type":"text","text":"b"}],"usage":{"input_tokens":3,"output_tokens":2,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}}""");

        Assert.Equal(2, run.Observation.Turns);
        Assert.Equal(new TokenUsage(10, 7, 100, 50), run.Observation.UsageByModel["claude-sonnet-4-5"]);
        Assert.Equal(new TokenUsage(3, 2, 0, 0), run.Observation.UsageByModel["claude-haiku-4-5"]);
        Assert.Equal("claude-haiku-4-5", run.Observation.Model);
    }

    [Fact]
    public void Assistant_messages_after_the_result_do_not_change_its_totals()
    {
        var run = Recording("01-stream");
        run.Feed("""{"type":"assistant","message":{"id":"m9","model":"claude-opus-4-8","content":[],"usage":{"input_tokens":999,"output_tokens":999}}}""");

        Assert.Equal(new TokenUsage(20, 21, 0, 18955), run.Observation.Usage);
        Assert.Equal(1, run.Observation.Turns);
    }

    [Fact]
    public void A_result_without_model_usage_takes_its_usage_for_the_current_model()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"system","subtype":"init","session_id":"s1","model":"claude-sonnet-4-5"}""",
            """{"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":"ok","session_id":"s1","total_cost_usd":0.5,"usage":{"input_tokens":4,"output_tokens":5,"cache_read_input_tokens":6,"cache_creation_input_tokens":7}}""");

        var usage = Assert.Single(run.Observation.UsageByModel);
        Assert.Equal("claude-sonnet-4-5", usage.Key);
        Assert.Equal(new TokenUsage(4, 5, 6, 7), usage.Value);
        Assert.Equal(0.5m, run.Observation.ReportedCostUsd);
    }

    [Fact]
    public void Requested_model_is_used_until_the_cli_names_its_own()
    {
        var run = ParserRun.Of(Provider, "claude-sonnet-4-5");
        run.Feed("""{"type":"system","subtype":"init","session_id":"s1"}""");
        Assert.Equal("claude-sonnet-4-5", run.Observation.Model);

        var named = Recording("01-stream", "claude-sonnet-4-5");
        Assert.Equal("claude-opus-4-8", named.Observation.Model);
    }

    [Fact]
    public void Permission_denials_become_an_error_entry_before_the_result()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"result","subtype":"success","is_error":false,"num_turns":2,"result":"could not write","session_id":"s1","permission_denials":[{"tool_name":"Write","tool_use_id":"t1","tool_input":{"file_path":"a.txt"}}]}""");

        Assert.Equal([SessionEventKind.Error, SessionEventKind.Result], run.Kinds);
        Assert.Equal("1 tool call(s) refused by the permission mode", run.Entries[0].Text);
        Assert.Equal("Write", JsonData.Parse(run.Entries[0].Data)[0].GetProperty("tool_name").GetString());
        Assert.False(run.Observation.ResultIsError);
        Assert.Null(run.Observation.ErrorText);
    }

    [Fact]
    public void An_error_result_without_subtype_or_errors_uses_its_text()
    {
        var run = ParserRun.Of(Provider).Feed("""{"type":"result","subtype":"success","is_error":true,"num_turns":1,"result":"API Error: 500 overloaded","session_id":"s1"}""");

        Assert.True(run.Observation.ResultIsError);
        Assert.Equal("API Error: 500 overloaded", run.Observation.ErrorText);
    }

    [Fact]
    public void Tool_results_with_block_content_and_errors_are_read()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"ls"}}]}}""",
            """{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":[{"type":"text","text":"line one"},{"type":"text","text":"line two"}]}]}}""",
            """{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"unknown","content":"orphan"}]}}""");

        Assert.Equal([SessionEventKind.ToolCall, SessionEventKind.ToolResult, SessionEventKind.ToolResult], run.Kinds);
        Assert.Equal("""{"command":"ls"}""", run.Entries[0].Data);
        Assert.Equal(new TranscriptEntry(SessionEventKind.ToolResult, Tool: "Bash", Text: "line one\nline two", Data: """{"is_error":true}"""), run.Entries[1]);
        Assert.Equal(new TranscriptEntry(SessionEventKind.ToolResult, Tool: null, Text: "orphan"), run.Entries[2]);
    }
}
