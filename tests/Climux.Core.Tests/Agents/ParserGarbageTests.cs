using Climux.Core.Agents;
using Climux.Core.Config;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.Agents;

public sealed class ParserGarbageTests
{
    private const string LoneHighSurrogate = "\uD800";

    /// <summary>Each JSON parser with a recording that leaves its observation fully set.</summary>
    public static TheoryData<string> JsonParsers => ["claude-code", "codex", "gemini-cli", "opencode", "jsonl"];

    public static TheoryData<string, string> GarbageLines
    {
        get
        {
            var data = new TheoryData<string, string>();
            string[] garbage =
            [
                "this is not json",
                "[1,2,3]",
                """[{"type":"result","is_error":true}]""",
                """{"type":"result","session_id":"x","is_error":true""",
                """{"type":"assistant","message":{"id":"m""",
                "{",
                "}",
                "null",
                "42",
                "\"a string\"",
                """{"type":"\ud800"}""",
            ];
            foreach (var parser in JsonParsers)
                foreach (var line in garbage)
                    data.Add(parser, line);
            return data;
        }
    }

    private static ParserRun Finished(string parser) => parser switch
    {
        "claude-code" => ParserRun.Recording(new ClaudeCodeProvider(), "claude", "07-tool-write"),
        "codex" => ParserRun.Recording(new CodexProvider(), "codex", "07-tool-bypass", "gpt-5"),
        "gemini-cli" => ParserRun.Recording(new GeminiCliProvider(), "gemini", "07-yolo-tool"),
        "opencode" => ParserRun.Recording(new OpenCodeProvider(), "opencode", "05-tool", "mockant/claude-sonnet-4-5"),
        "jsonl" => new ParserRun(new CommandProvider("j", new ProviderConfig { Command = "j", Output = ProviderOutput.Jsonl }), ParserRun.Invocation()).Feed(
            """{"type":"session","id":"abc","model":"m1"}""",
            """{"type":"usage","input_tokens":1,"output_tokens":2,"cost_usd":0.5}""",
            """{"type":"message","text":"done"}""",
            """{"type":"result","text":"done","is_error":false}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(parser)),
    };

    [Theory]
    [MemberData(nameof(GarbageLines))]
    public void Garbage_becomes_output_and_changes_nothing(string parser, string line)
    {
        var run = Finished(parser);
        var before = ObservationState.Of(run.Observation);

        var entries = run.Parser.ReadLine(line);

        Assert.Equal([new TranscriptEntry(SessionEventKind.Output, Text: line)], entries);
        Assert.Equal(before, ObservationState.Of(run.Observation));
    }

    [Theory]
    [MemberData(nameof(JsonParsers))]
    public void Empty_and_blank_lines_give_nothing(string parser)
    {
        var run = Finished(parser);
        var before = ObservationState.Of(run.Observation);

        Assert.Empty(run.Parser.ReadLine(""));
        Assert.Empty(run.Parser.ReadLine("   "));
        Assert.Empty(run.Parser.ReadLine("\t"));
        Assert.Equal(before, ObservationState.Of(run.Observation));
    }

    [Theory]
    [MemberData(nameof(JsonParsers))]
    public void A_raw_lone_surrogate_in_a_json_line_becomes_output(string parser)
    {
        var run = Finished(parser);
        var before = ObservationState.Of(run.Observation);
        var line = "{\"type\":\"result\",\"session_id\":\"bad" + LoneHighSurrogate + "\",\"is_error\":true}";

        var entries = run.Parser.ReadLine(line);

        Assert.Equal([new TranscriptEntry(SessionEventKind.Output, Text: line)], entries);
        Assert.Equal(before, ObservationState.Of(run.Observation));
    }

    [Theory]
    [MemberData(nameof(JsonParsers))]
    public void Garbage_does_not_disturb_the_lines_that_follow(string parser)
    {
        var clean = Finished(parser);
        var noisy = Finished(parser);

        noisy.Feed("garbage", "[1]", "{\"type\":", "");
        noisy.Feed(Resumed(parser));
        clean.Feed(Resumed(parser));

        Assert.Equal(ObservationState.Of(clean.Observation), ObservationState.Of(noisy.Observation));
    }

    private static string Resumed(string parser) => parser switch
    {
        "claude-code" => """{"type":"result","subtype":"success","is_error":false,"num_turns":3,"result":"after","session_id":"s2","total_cost_usd":1.5,"modelUsage":{"claude-opus-4-8":{"inputTokens":1,"outputTokens":2}}}""",
        "codex" => """{"type":"turn.completed","usage":{"input_tokens":10,"cached_input_tokens":4,"output_tokens":1}}""",
        "gemini-cli" => """{"type":"result","status":"success","stats":{"models":{"gemini-2.5-pro":{"input_tokens":10,"output_tokens":1,"cached":0,"input":10}}}}""",
        "opencode" => """{"type":"step_finish","sessionID":"ses_df1b737a4ffeVgjFWNGWZJlQMl","part":{"tokens":{"input":1,"output":1,"reasoning":0,"cache":{"read":0,"write":0}},"cost":0.001}}""",
        _ => """{"type":"usage","input_tokens":10,"output_tokens":1}""",
    };

    [Fact]
    public void Claude_result_with_an_escaped_lone_surrogate_is_output_and_changes_nothing()
    {
        var run = Finished("claude-code");
        var before = ObservationState.Of(run.Observation);
        const string line = """{"type":"result","session_id":"\ud800","result":"\udc00 low first","is_error":true}""";

        Assert.Equal([new TranscriptEntry(SessionEventKind.Output, Text: line)], run.Parser.ReadLine(line));
        Assert.Equal(before, ObservationState.Of(run.Observation));
    }

    [Fact]
    public void Text_parser_keeps_any_line_as_a_message()
    {
        var run = new ParserRun(new CommandProvider("t", new ProviderConfig { Command = "t" }), ParserRun.Invocation());
        var bad = "{\"truncated\":" + LoneHighSurrogate;

        run.Feed("[1,2]", bad, "").Complete();

        Assert.Equal(
            [new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "[1,2]"), new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: bad)],
            run.Entries);
        Assert.Equal("[1,2]\n" + bad, run.Observation.ResultText);
    }
}
