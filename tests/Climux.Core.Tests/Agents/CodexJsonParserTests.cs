using Climux.Core.Agents;
using Climux.Core.Pricing;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.Agents;

public sealed class CodexJsonParserTests
{
    private const string FirstThread = "01a20e47-b425-73a2-bbbb-cfd1c9397293";
    private const string ShellCommand = @"/bin/bash -lc ""printf 'hello from the mock model\\n' > mock_output.txt""";

    private static readonly CodexProvider Provider = new();

    private static ParserRun Recording(string name, string? model = null) => ParserRun.Recording(Provider, "codex", name, model);

    [Fact]
    public void Exec_json_gives_init_message_and_usage()
    {
        var run = Recording("01-exec-json");

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Usage], run.Kinds);
        Assert.Equal($"codex thread {FirstThread}", run.Entries[0].Text);
        Assert.Equal(FirstThread, JsonData.Parse(run.Entries[0].Data).GetProperty("thread_id").GetString());
        Assert.Equal(new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "MOCK_REPLY turn=1: you said \"hello mock, say something\""), run.Entries[1]);
        var usage = JsonData.Parse(run.Entries[2].Data);
        Assert.Equal(9167, usage.GetProperty("input_tokens").GetInt64());
        Assert.Equal(54, usage.GetProperty("output_tokens").GetInt64());
    }

    [Fact]
    public void Exec_json_fills_the_observation()
    {
        var o = Recording("01-exec-json").Observation;

        Assert.Equal(FirstThread, o.NativeSessionId);
        Assert.Null(o.Model);
        Assert.Equal(1, o.Turns);
        Assert.Equal("MOCK_REPLY turn=1: you said \"hello mock, say something\"", o.ResultText);
        Assert.False(o.ResultIsError);
        Assert.Null(o.ErrorText);
        Assert.Null(o.ReportedCostUsd);
        var usage = Assert.Single(o.UsageByModel);
        Assert.Equal(RunObservation.UnknownModel, usage.Key);
        Assert.Equal(new TokenUsage(9167, 54, 0, 0), usage.Value);
    }

    [Fact]
    public void Usage_is_kept_under_the_requested_model()
    {
        var o = Recording("01-exec-json", "gpt-5.1-codex").Observation;

        Assert.Equal("gpt-5.1-codex", o.Model);
        Assert.Equal(new TokenUsage(9167, 54, 0, 0), Assert.Single(o.UsageByModel, kv => kv.Key == "gpt-5.1-codex").Value);
    }

    [Fact]
    public void Cached_input_is_taken_out_of_input_and_counted_as_cache_read()
    {
        var o = Recording("04-resume", "gpt-5.1-codex").Observation;

        Assert.Equal(FirstThread, o.NativeSessionId);
        Assert.Equal("MOCK_REPLY turn=4: you said \"next: continue the first thread\"", o.ResultText);
        Assert.Equal(new TokenUsage(Input: 18426 - 9239, Output: 110, CacheRead: 9239, CacheWrite: 0), o.Usage);
        Assert.Equal(0.013738625m, new PricingTable().Cost(o.UsageByModel).Cost);
    }

    [Fact]
    public void Shell_command_is_a_tool_call_when_started_and_a_result_when_completed()
    {
        var lines = Recordings.Lines("codex", "07-tool-bypass");
        var run = ParserRun.Of(Provider);

        run.Feed(lines[..2]);
        var started = run.Read(lines[2]);
        Assert.Equal([new TranscriptEntry(SessionEventKind.ToolCall, Tool: "shell", Text: ShellCommand)], started);

        var completed = run.Read(lines[3]);
        var result = Assert.Single(completed);
        Assert.Equal(SessionEventKind.ToolResult, result.Kind);
        Assert.Equal("shell", result.Tool);
        Assert.Equal("", result.Text);
        var data = JsonData.Parse(result.Data);
        Assert.Equal(0, data.GetProperty("exit_code").GetInt32());
        Assert.Equal("completed", data.GetProperty("status").GetString());
    }

    [Fact]
    public void Tool_recording_has_one_call_one_result_and_the_final_message()
    {
        var run = Recording("07-tool-bypass");
        var o = run.Observation;

        Assert.Equal(
            [SessionEventKind.Init, SessionEventKind.ToolCall, SessionEventKind.ToolResult, SessionEventKind.Message, SessionEventKind.Usage],
            run.Kinds);
        Assert.Equal("Done: wrote mock_output.txt. (turn=7)", run.Entries[3].Text);
        Assert.Equal("01a20e47-ca2f-74c0-8f2f-9e61aabde704", o.NativeSessionId);
        Assert.Equal("Done: wrote mock_output.txt. (turn=7)", o.ResultText);
        Assert.Equal(1, o.Turns);
        Assert.Equal(new TokenUsage(18428 - 9253, 107, 9253, 0), o.Usage);
    }

    [Fact]
    public void Read_only_run_without_commands_has_no_tool_entries()
    {
        var run = Recording("09-tool-readonly");
        var o = run.Observation;

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.Usage], run.Kinds);
        Assert.Equal("01a20e47-d2f6-76e3-be7c-d0d42947b269", o.NativeSessionId);
        Assert.Equal("Done: wrote mock_output.txt. (turn=11)", o.ResultText);
        Assert.Equal(new TokenUsage(40, 107, 18427, 0), o.Usage);
    }

    [Fact]
    public void An_error_item_is_an_error_entry_not_a_failed_result()
    {
        var run = Recording("12-model-flags", "gpt-5.4");
        var o = run.Observation;

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Error, SessionEventKind.Message, SessionEventKind.Usage], run.Kinds);
        Assert.Equal("Model metadata for `gpt-5.4` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.", run.Entries[1].Text);
        Assert.False(o.ResultIsError);
        Assert.Null(o.ErrorText);
        Assert.Equal("MOCK_REPLY turn=13: you said \"model override\"", o.ResultText);
        Assert.Equal("gpt-5.4", o.Model);
        Assert.Equal(new TokenUsage(9505, 52, 0, 0), Assert.Single(o.UsageByModel, kv => kv.Key == "gpt-5.4").Value);
    }

    [Fact]
    public void Turn_failed_marks_the_result_as_an_error()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"thread.started","thread_id":"t1"}""",
            """{"type":"turn.started"}""",
            """{"type":"turn.failed","error":{"message":"boom"}}""");

        Assert.Equal([SessionEventKind.Init, SessionEventKind.Error], run.Kinds);
        Assert.Equal("boom", run.Entries[1].Text);
        Assert.True(run.Observation.ResultIsError);
        Assert.Equal("boom", run.Observation.ErrorText);
        Assert.Equal(0, run.Observation.Turns);
    }

    [Fact]
    public void Turn_failed_without_a_message_still_says_the_turn_failed()
    {
        var run = ParserRun.Of(Provider).Feed("""{"type":"turn.failed"}""");

        Assert.True(run.Observation.ResultIsError);
        Assert.Equal("the turn failed", run.Observation.ErrorText);
    }

    [Fact]
    public void A_stream_error_is_recorded_but_does_not_fail_the_result()
    {
        var run = ParserRun.Of(Provider).Feed("""{"type":"error","message":"stream disconnected before completion; retrying 1/5"}""");

        Assert.Equal([new TranscriptEntry(SessionEventKind.Error, Text: "stream disconnected before completion; retrying 1/5")], run.Entries);
        Assert.False(run.Observation.ResultIsError);
        Assert.Equal("stream disconnected before completion; retrying 1/5", run.Observation.ErrorText);
    }

    [Fact]
    public void A_completed_command_never_seen_starting_gives_both_call_and_result()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"item.completed","item":{"id":"item_5","type":"command_execution","command":"ls","aggregated_output":"a.txt\n","exit_code":2,"status":"failed"}}""");

        Assert.Equal([SessionEventKind.ToolCall, SessionEventKind.ToolResult], run.Kinds);
        Assert.Equal(new TranscriptEntry(SessionEventKind.ToolCall, Tool: "shell", Text: "ls"), run.Entries[0]);
        Assert.Equal("a.txt\n", run.Entries[1].Text);
        Assert.Equal(2, JsonData.Parse(run.Entries[1].Data).GetProperty("exit_code").GetInt32());
        Assert.Equal("failed", JsonData.Parse(run.Entries[1].Data).GetProperty("status").GetString());
    }

    [Fact]
    public void Turns_and_usage_add_up_over_several_turns()
    {
        var run = ParserRun.Of(Provider, "gpt-5").Feed(
            """{"type":"turn.completed","usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":10}}""",
            """{"type":"turn.completed","usage":{"input_tokens":200,"cached_input_tokens":150,"output_tokens":20}}""");

        Assert.Equal(2, run.Observation.Turns);
        Assert.Equal(new TokenUsage(110, 30, 190, 0), run.Observation.UsageByModel["gpt-5"]);
    }

    [Fact]
    public void Other_items_are_tool_calls_of_their_kind()
    {
        var run = ParserRun.Of(Provider).Feed(
            """{"type":"item.completed","item":{"id":"i1","type":"file_change","changes":[{"path":"a.txt","kind":"add"}],"status":"completed"}}""",
            """{"type":"item.completed","item":{"id":"i2","type":"mcp_tool_call","server":"docs","tool":"search","status":"completed"}}""",
            """{"type":"item.completed","item":{"id":"i3","type":"web_search","query":"dotnet 10"}}""",
            """{"type":"item.completed","item":{"id":"i4","type":"reasoning","text":"thinking"}}""");

        Assert.Equal([SessionEventKind.ToolCall, SessionEventKind.ToolCall, SessionEventKind.ToolCall], run.Kinds);
        Assert.Equal("file_change", run.Entries[0].Tool);
        Assert.Equal("""[{"path":"a.txt","kind":"add"}]""", run.Entries[0].Data);
        Assert.Equal("docs.search", run.Entries[1].Tool);
        Assert.Equal(new TranscriptEntry(SessionEventKind.ToolCall, Tool: "web_search", Text: "dotnet 10"), run.Entries[2]);
    }

    [Fact]
    public void Plain_text_output_is_kept_as_output()
    {
        var run = Recording("02-exec-text");

        Assert.Equal([new TranscriptEntry(SessionEventKind.Output, Text: "MOCK_REPLY turn=2: you said \"plain text output please\"")], run.Entries);
        Assert.Null(run.Observation.ResultText);
    }
}
