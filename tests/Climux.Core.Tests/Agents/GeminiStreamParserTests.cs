using Climux.Core.Agents;
using Climux.Core.Pricing;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.Agents;

public sealed class GeminiStreamParserTests
{
    private static readonly GeminiCliProvider Provider = new();

    private static ParserRun Recording(string name, string? model = null) => ParserRun.Recording(Provider, "gemini", name, model);

    [Fact]
    public void Stream_deltas_are_joined_into_one_assistant_message()
    {
        var run = Recording("02-stream");

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Result], run.Kinds);
        Assert.Equal("gemini-cli session fa336007-5ad5-4758-af89-7658a92ca584 (auto)", run.Entries[0].Text);
        Assert.Equal("auto", JsonData.Parse(run.Entries[0].Data).GetProperty("model").GetString());
        Assert.Equal(new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "MOCK_REPLY turn=4: you said \"stream please\""), run.Entries[1]);
        Assert.Equal("MOCK_REPLY turn=4: you said \"stream please\"", run.Entries[2].Text);
        Assert.Equal("success", JsonData.Parse(run.Entries[2].Data).GetProperty("status").GetString());
    }

    [Fact]
    public void Stream_fills_the_observation_with_usage_per_model()
    {
        var o = Recording("02-stream").Observation;

        Assert.Equal("fa336007-5ad5-4758-af89-7658a92ca584", o.NativeSessionId);
        Assert.Equal(1, o.Turns);
        Assert.Equal("MOCK_REPLY turn=4: you said \"stream please\"", o.ResultText);
        Assert.False(o.ResultIsError);
        Assert.Null(o.ErrorText);
        Assert.Null(o.ReportedCostUsd);
        Assert.Equal(2, o.UsageByModel.Count);
        Assert.Equal(new TokenUsage(Input: 20, Output: 18, CacheRead: 758, CacheWrite: 0), o.UsageByModel["gemini-3.5-flash-lite"]);
        Assert.Equal(new TokenUsage(20, 15, 10096, 0), o.UsageByModel["gemini-3.8-flash"]);
        Assert.Equal(new TokenUsage(40, 33, 10854, 0), o.Usage);
    }

    [Fact]
    public void Auto_model_is_resolved_to_the_model_with_most_tokens()
    {
        Assert.Null(ParserRun.Of(Provider).Feed(Recordings.Lines("gemini", "02-stream")[0]).Observation.Model);
        Assert.Equal("gemini-3.8-flash", Recording("02-stream").Observation.Model);
    }

    [Fact]
    public void Auto_model_gives_way_to_the_requested_model()
    {
        Assert.Equal("gemini-2.5-pro", Recording("02-stream", "gemini-2.5-pro").Observation.Model);
    }

    [Fact]
    public void A_named_init_model_is_the_model()
    {
        var run = ParserRun.Of(Provider, "gemini-2.5-pro").Feed("""{"type":"init","session_id":"s1","model":"gemini-2.5-flash"}""");

        Assert.Equal("gemini-2.5-flash", run.Observation.Model);
        Assert.Equal("gemini-cli session s1 (gemini-2.5-flash)", run.Entries[0].Text);
    }

    [Fact]
    public void Resume_latest_reports_the_resumed_session()
    {
        var run = Recording("05-resume-latest");
        var o = run.Observation;

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Result], run.Kinds);
        Assert.Equal("11111111-2222-4333-8444-666666666666", o.NativeSessionId);
        Assert.Equal("MOCK_REPLY turn=10: you said \"continue latest\"", o.ResultText);
        Assert.Equal("gemini-3.8-flash", o.Model);
        Assert.Equal(new TokenUsage(20, 18, 829, 0), o.UsageByModel["gemini-3.5-flash-lite"]);
        Assert.Equal(new TokenUsage(20, 16, 10173, 0), o.UsageByModel["gemini-3.8-flash"]);
        Assert.Equal(new TokenUsage(40, 34, 11002, 0), o.Usage);
    }

    [Fact]
    public void Yolo_tool_run_gives_call_result_message_and_result()
    {
        var run = Recording("07-yolo-tool");

        Assert.Equal(
            [SessionEventKind.Init, SessionEventKind.ToolCall, SessionEventKind.ToolResult, SessionEventKind.Message, SessionEventKind.Result],
            run.Kinds);
        var call = run.Entries[1];
        Assert.Equal("write_file", call.Tool);
        var parameters = JsonData.Parse(call.Data);
        Assert.Equal("HARNESS/tmphome/geminiPATH", parameters.GetProperty("file_path").GetString());
        Assert.Equal("hello from the mock model\n", parameters.GetProperty("content").GetString());

        var result = run.Entries[2];
        Assert.Equal("write_file", result.Tool);
        Assert.Null(result.Text);
        Assert.Equal("success", JsonData.Parse(result.Data).GetProperty("status").GetString());

        Assert.Equal(new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "Done: wrote mock_output.txt. (turn=14)"), run.Entries[3]);
    }

    [Fact]
    public void Yolo_tool_run_fills_the_observation()
    {
        var o = Recording("07-yolo-tool").Observation;

        Assert.Equal("bed8f486-350b-4e48-87f3-93be3fd5f126", o.NativeSessionId);
        Assert.Equal("gemini-3.8-flash", o.Model);
        Assert.Equal(1, o.Turns);
        Assert.Equal("Done: wrote mock_output.txt. (turn=14)", o.ResultText);
        Assert.Equal(new TokenUsage(20, 18, 760, 0), o.UsageByModel["gemini-3.5-flash-lite"]);
        Assert.Equal(new TokenUsage(11999, 54, 12100, 0), o.UsageByModel["gemini-3.8-flash"]);
        Assert.Equal(new TokenUsage(12019, 72, 12860, 0), o.Usage);
    }

    [Fact]
    public void Mock_gemini_models_are_unknown_to_the_pricing_table()
    {
        var (cost, unknown) = new PricingTable().Cost(Recording("07-yolo-tool").Observation.UsageByModel);

        Assert.Equal(0m, cost);
        Assert.Equal(["gemini-3.5-flash-lite", "gemini-3.8-flash"], unknown.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_error_result_marks_the_run_failed_with_its_message()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"init","session_id":"s1","model":"gemini-2.5-pro"}""",
            """{"type":"message","role":"assistant","content":"partial","delta":true}""",
            """{"type":"result","status":"error","error":{"type":"FatalTurnLimitedError","message":"Reached max session turns"},"stats":{"total_tokens":30,"input_tokens":25,"output_tokens":5,"cached":0,"input":25,"models":{"gemini-2.5-pro":{"total_tokens":30,"input_tokens":25,"output_tokens":5,"cached":0,"input":25}}}}""");
        var o = run.Observation;

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Result], run.Kinds);
        Assert.True(o.ResultIsError);
        Assert.Equal("Reached max session turns", o.ErrorText);
        Assert.Equal("partial", o.ResultText);
        Assert.Equal("gemini-2.5-pro", o.Model);
        Assert.Equal(new TokenUsage(25, 5, 0, 0), o.UsageByModel["gemini-2.5-pro"]);
    }

    [Fact]
    public void An_error_status_without_a_message_names_the_status()
    {
        var run = ParserRun.Of(Provider).Feed("""{"type":"result","status":"error"}""");

        Assert.True(run.Observation.ResultIsError);
        Assert.Equal("result status 'error'", run.Observation.ErrorText);
        Assert.Equal(1, run.Observation.Turns);
    }

    [Fact]
    public void An_error_event_is_recorded_without_failing_the_result()
    {
        var run = ParserRun.Of(Provider).Feed("""{"type":"error","severity":"warning","message":"Loop detected"}""");

        var error = Assert.Single(run.Entries);
        Assert.Equal(SessionEventKind.Error, error.Kind);
        Assert.Equal("Loop detected", error.Text);
        Assert.False(run.Observation.ResultIsError);
        Assert.Equal("Loop detected", run.Observation.ErrorText);
    }

    [Fact]
    public void Model_usage_without_uncached_input_subtracts_the_cached_tokens()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"result","status":"success","stats":{"models":{"gemini-2.5-flash":{"input_tokens":1000,"output_tokens":50,"cached":600}}}}""");

        Assert.Equal(new TokenUsage(400, 50, 600, 0), run.Observation.UsageByModel["gemini-2.5-flash"]);
        Assert.Equal("gemini-2.5-flash", run.Observation.Model);
    }

    [Fact]
    public void Text_before_and_after_a_tool_is_two_messages()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"message","role":"assistant","content":"I will ","delta":true}""",
            """{"type":"message","role":"assistant","content":"write it.","delta":true}""",
            """{"type":"tool_use","tool_name":"write_file","tool_id":"w1","parameters":{"file_path":"a"}}""",
            """{"type":"tool_result","tool_id":"w1","status":"error","error":{"type":"denied","message":"not allowed"}}""",
            """{"type":"message","role":"assistant","content":"Could not write.","delta":true}""").Complete();

        Assert.Equal([SessionEventKind.Message, SessionEventKind.ToolCall, SessionEventKind.ToolResult, SessionEventKind.Message], run.Kinds);
        Assert.Equal("I will write it.", run.Entries[0].Text);
        Assert.Equal(new TranscriptEntry(SessionEventKind.ToolResult, Tool: "write_file", Text: "not allowed", Data: """{"status":"error"}"""), run.Entries[2]);
        Assert.Equal("Could not write.", run.Entries[3].Text);
        Assert.Equal("Could not write.", run.Observation.ResultText);
        Assert.Equal(2, run.Observation.Turns);
    }

    [Fact]
    public void Complete_flushes_text_left_without_a_result()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"init","session_id":"s1","model":"auto"}""",
            """{"type":"message","role":"assistant","content":"cut ","delta":true}""",
            """{"type":"message","role":"assistant","content":"off","delta":true}""");
        Assert.Equal([SessionEventKind.Init], run.Kinds);
        Assert.Null(run.Observation.ResultText);

        run.Complete();

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message], run.Kinds);
        Assert.Equal("cut off", run.Observation.ResultText);
        Assert.Equal(1, run.Observation.Turns);
        Assert.Empty(run.Parser.Complete());
    }

    [Fact]
    public void Garbage_between_deltas_flushes_the_text_first()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"message","role":"assistant","content":"before","delta":true}""",
            "stray line");

        Assert.Equal(
            [new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "before"), new TranscriptEntry(SessionEventKind.Output, Text: "stray line")],
            run.Entries);
    }

    [Fact]
    public void User_messages_are_not_transcribed()
    {
        var run = ParserRun.Of(Provider).Feed("""{"type":"message","role":"user","content":"stream please"}""");

        Assert.Empty(run.Entries);
        Assert.Null(run.Observation.ResultText);
    }
}
