using Climux.Core.Agents;
using Climux.Core.Config;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.Agents;

public sealed class CommandProviderTests
{
    private static CommandProvider Provider(List<string>? args = null, List<string>? planArgs = null, List<string>? resumeArgs = null, ProviderOutput? output = null) =>
        new("myagent", new ProviderConfig { Command = "/opt/myagent", Args = args, PlanArgs = planArgs, ResumeArgs = resumeArgs, Output = output });

    private static AgentInvocation Invocation(string prompt = "do it", string? model = null, RunMode mode = RunMode.Task, string? resume = null) =>
        new() { Prompt = prompt, WorkingDirectory = "/work/tree", Model = model, Mode = mode, ResumeSessionId = resume };

    [Fact]
    public void Prompt_and_model_are_substituted_into_the_arguments()
    {
        var command = Provider(["--model", "{model}", "--ask", "{prompt}"]).BuildCommand(Invocation(model: "m1"), "/bin/x");

        Assert.Equal("/bin/x", command.Executable);
        Assert.Equal(["--model", "m1", "--ask", "do it"], command.Arguments);
        Assert.Null(command.StandardInput);
    }

    [Fact]
    public void Placeholders_are_replaced_inside_a_longer_argument()
    {
        var command = Provider(["--prompt={prompt}", "--model=openai/{model}"]).BuildCommand(Invocation(model: "gpt-5"), "/bin/x");

        Assert.Equal(["--prompt=do it", "--model=openai/gpt-5"], command.Arguments);
    }

    [Fact]
    public void A_missing_model_is_substituted_as_empty()
    {
        var command = Provider(["--model", "{model}", "{prompt}"]).BuildCommand(Invocation(), "/bin/x");

        Assert.Equal(["--model", "", "do it"], command.Arguments);
    }

    [Fact]
    public void Without_a_prompt_placeholder_the_prompt_goes_to_standard_input()
    {
        var command = Provider(["run", "--quiet"]).BuildCommand(Invocation(), "/bin/x");

        Assert.Equal(["run", "--quiet"], command.Arguments);
        Assert.Equal("do it", command.StandardInput);
    }

    [Fact]
    public void Without_any_arguments_the_prompt_goes_to_standard_input()
    {
        var command = Provider().BuildCommand(Invocation(), "/bin/x");

        Assert.Empty(command.Arguments);
        Assert.Equal("do it", command.StandardInput);
    }

    [Fact]
    public void Plan_runs_use_plan_args()
    {
        var provider = Provider(["write", "{prompt}"], planArgs: ["--read-only", "{prompt}"]);

        Assert.Equal(["--read-only", "do it"], provider.BuildCommand(Invocation(mode: RunMode.Plan), "/bin/x").Arguments);
        Assert.Equal(["write", "do it"], provider.BuildCommand(Invocation(mode: RunMode.Task), "/bin/x").Arguments);
    }

    [Fact]
    public void Plan_runs_without_plan_args_are_refused_since_the_command_cannot_be_made_read_only()
    {
        var provider = Provider(["write", "{prompt}"]);
        Assert.False(provider.CanPlan);
        Assert.Contains("planArgs", Assert.Throws<InvalidOperationException>(() => provider.BuildCommand(Invocation(mode: RunMode.Plan), "/bin/x")).Message);
    }

    [Fact]
    public void Resume_uses_resume_args_with_the_session_id()
    {
        var provider = Provider(["new", "{prompt}"], resumeArgs: ["--resume", "{sessionId}", "--model", "{model}", "{prompt}"]);

        var command = provider.BuildCommand(Invocation(model: "m1", resume: "sess-42"), "/bin/x");

        Assert.True(provider.CanResume);
        Assert.Equal(["--resume", "sess-42", "--model", "m1", "do it"], command.Arguments);
    }

    [Fact]
    public void Session_id_placeholder_is_empty_outside_a_resume()
    {
        Assert.Equal(["--session", "", "do it"], Provider(["--session", "{sessionId}", "{prompt}"]).BuildCommand(Invocation(), "/bin/x").Arguments);
    }

    [Fact]
    public void Resume_without_resume_args_is_refused()
    {
        var provider = Provider(["{prompt}"]);

        Assert.False(provider.CanResume);
        var error = Assert.Throws<InvalidOperationException>(() => provider.BuildCommand(Invocation(resume: "s1"), "/bin/x"));
        Assert.Contains("'myagent'", error.Message);
        Assert.Contains("resumeArgs", error.Message);
    }

    [Fact]
    public void Resume_with_empty_resume_args_is_refused_like_no_resume_args()
    {
        var provider = Provider(["{prompt}"], resumeArgs: []);

        Assert.False(provider.CanResume);
        Assert.Throws<InvalidOperationException>(() => provider.BuildCommand(Invocation(resume: "s1"), "/bin/x"));
    }

    [Fact]
    public void A_prompt_too_long_for_an_argument_is_refused_when_args_hold_it()
    {
        var prompt = new string('a', 200 * 1024);

        var error = Assert.Throws<InvalidOperationException>(() => Provider(["--ask", "{prompt}"]).BuildCommand(Invocation(prompt), "/bin/x"));

        Assert.Contains("too long for one argument (204800 bytes)", error.Message);
        Assert.Contains("providers.myagent args", error.Message);
    }

    [Fact]
    public void A_long_prompt_goes_to_standard_input_when_args_do_not_hold_it()
    {
        var prompt = new string('a', 200 * 1024);

        var command = Provider(["--stdin"]).BuildCommand(Invocation(prompt), "/bin/x");

        Assert.Equal(["--stdin"], command.Arguments);
        Assert.Equal(prompt, command.StandardInput);
    }

    [Fact]
    public void A_prompt_that_looks_like_placeholders_is_passed_verbatim()
    {
        const string prompt = "explain the {model} and {sessionId} placeholders";

        var command = Provider(["--model", "{model}", "{prompt}"]).BuildCommand(Invocation(prompt, model: "m1"), "/bin/x");

        Assert.Equal(["--model", "m1", prompt], command.Arguments);
    }

    [Fact]
    public void Special_characters_in_the_prompt_stay_in_one_argument()
    {
        const string prompt = "say \"hi\" & 'bye'\nnext line $HOME `uname` ; rm -rf / | cat > f \\ end";

        var command = Provider(["-p", "{prompt}"]).BuildCommand(Invocation(prompt), "/bin/x");

        Assert.Equal(["-p", prompt], command.Arguments);
    }

    [Fact]
    public void Environment_comes_from_the_provider_settings()
    {
        var settings = new ProviderConfig { Command = "/opt/a", Args = ["{prompt}"], Env = new() { ["API_KEY"] = "k", ["MODE"] = "x" } };

        var command = new CommandProvider("a", settings).BuildCommand(Invocation(), "/bin/x");

        Assert.Equal("k", command.Environment["API_KEY"]);
        Assert.Equal("x", command.Environment["MODE"]);
        Assert.Equal(2, command.Environment.Count);
    }

    [Fact]
    public void Identity_of_a_command_provider()
    {
        var provider = Provider(["{prompt}"]);

        Assert.Equal("myagent", provider.Name);
        Assert.False(provider.PresetsSessionId);
        Assert.False(provider.CanPlan);
        Assert.Null(provider.InteractiveResumeCommand("s1"));
    }

    [Theory]
    [InlineData(null, typeof(CommandTextParser))]
    [InlineData(ProviderOutput.Text, typeof(CommandTextParser))]
    [InlineData(ProviderOutput.Jsonl, typeof(CommandJsonlParser))]
    public void Output_setting_chooses_the_parser(ProviderOutput? output, Type parser) =>
        Assert.IsType(parser, Provider(output: output).CreateParser(Invocation()));

    [Fact]
    public void Text_output_makes_each_line_a_message_and_the_whole_text_the_result()
    {
        var run = new ParserRun(Provider(), Invocation(model: "m1")).Feed("first line", "second line", "  indented third").Complete();
        var o = run.Observation;

        Assert.Equal(
            [
                new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "first line"),
                new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "second line"),
                new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "  indented third"),
            ],
            run.Entries);
        Assert.Equal("first line\nsecond line\n  indented third", o.ResultText);
        Assert.Equal(1, o.Turns);
        Assert.Equal("m1", o.Model);
        Assert.Null(o.NativeSessionId);
        Assert.False(o.ResultIsError);
        Assert.Empty(o.UsageByModel);
    }

    [Fact]
    public void Text_output_that_looks_like_json_is_still_text()
    {
        var run = new ParserRun(Provider(), Invocation()).Feed("""{"type":"result","is_error":true}""").Complete();

        Assert.Equal(SessionEventKind.Message, Assert.Single(run.Entries).Kind);
        Assert.False(run.Observation.ResultIsError);
        Assert.Equal("""{"type":"result","is_error":true}""", run.Observation.ResultText);
    }

    [Fact]
    public void Text_output_keeps_blank_lines_in_the_result()
    {
        var run = new ParserRun(Provider(), Invocation()).Feed("para one", "", "para two").Complete();

        Assert.Equal("para one\n\npara two", run.Observation.ResultText);
    }

    [Fact]
    public void Text_output_result_is_capped_keeping_the_end()
    {
        var line = new string('x', 40 * 1024);

        var run = new ParserRun(Provider(), Invocation()).Feed(line, line, line, new string('y', 100 * 1024)).Complete();

        Assert.Equal(4, run.Entries.Count);
        var result = run.Observation.ResultText!;
        var kept = result[(result.IndexOf('\n') + 1)..];
        Assert.Matches("^y{65000,65536}$", kept);
        var total = 3 * (line.Length + 1) + 100 * 1024;
        Assert.StartsWith($"[climux: {total - kept.Length:N0} characters cut from the start]\n", result);
    }

    [Fact]
    public void Jsonl_output_follows_the_documented_schema()
    {
        var run = new ParserRun(Provider(output: ProviderOutput.Jsonl), Invocation(model: "requested")).Feed(
            """{"type":"session","id":"abc","model":"m1"}""",
            """{"type":"message","text":"thinking"}""",
            """{"type":"tool_call","tool":"bash","input":{"cmd":"ls"}}""",
            """{"type":"tool_result","tool":"bash","output":"a.txt"}""",
            """{"type":"usage","model":"m1","input_tokens":100,"output_tokens":20,"cache_read_tokens":5,"cache_write_tokens":3,"cost_usd":0.01}""",
            """{"type":"usage","input_tokens":10,"output_tokens":2,"cost_usd":0.002}""",
            """{"type":"usage","model":"m2","input_tokens":1,"output_tokens":1}""",
            """{"type":"message","role":"user","text":"more"}""",
            """{"type":"result","text":"all done","is_error":false}""",
            """{"type":"progress","pct":50}""").Complete();
        var o = run.Observation;

        Assert.Equal(
            [
                SessionEventKind.Init, SessionEventKind.Message, SessionEventKind.ToolCall, SessionEventKind.ToolResult, SessionEventKind.Usage,
                SessionEventKind.Usage, SessionEventKind.Usage, SessionEventKind.Message, SessionEventKind.Result, SessionEventKind.Output,
            ],
            run.Kinds);
        Assert.Equal("session abc", run.Entries[0].Text);
        Assert.Equal(new TranscriptEntry(SessionEventKind.Message, Role: "assistant", Text: "thinking"), run.Entries[1]);
        Assert.Equal(new TranscriptEntry(SessionEventKind.ToolCall, Tool: "bash", Data: """{"cmd":"ls"}"""), run.Entries[2]);
        Assert.Equal(new TranscriptEntry(SessionEventKind.ToolResult, Tool: "bash", Text: "a.txt"), run.Entries[3]);
        Assert.Equal("user", run.Entries[7].Role);
        Assert.Equal("all done", run.Entries[8].Text);
        Assert.Equal("""{"type":"progress","pct":50}""", run.Entries[9].Text);

        Assert.Equal("abc", o.NativeSessionId);
        Assert.Equal("m1", o.Model);
        Assert.Equal(2, o.Turns);
        Assert.Equal("all done", o.ResultText);
        Assert.False(o.ResultIsError);
        Assert.Null(o.ErrorText);
        Assert.Equal(0.012m, o.ReportedCostUsd);
        Assert.Equal(new TokenUsage(110, 22, 5, 3), o.UsageByModel["m1"]);
        Assert.Equal(new TokenUsage(1, 1, 0, 0), o.UsageByModel["m2"]);
        Assert.Equal(new TokenUsage(111, 23, 5, 3), o.Usage);
    }

    [Fact]
    public void Jsonl_usage_before_a_session_is_kept_under_the_requested_model()
    {
        var run = new ParserRun(Provider(output: ProviderOutput.Jsonl), Invocation(model: "requested"))
            .Feed("""{"type":"usage","input_tokens":7,"output_tokens":3}""");

        Assert.Equal(new TokenUsage(7, 3, 0, 0), run.Observation.UsageByModel["requested"]);
        Assert.Null(run.Observation.ReportedCostUsd);
    }

    [Fact]
    public void Jsonl_error_result_uses_its_error_then_its_text()
    {
        var withError = new ParserRun(Provider(output: ProviderOutput.Jsonl), Invocation())
            .Feed("""{"type":"result","text":"gave up","is_error":true,"error":"quota exceeded"}""").Observation;
        var withText = new ParserRun(Provider(output: ProviderOutput.Jsonl), Invocation())
            .Feed("""{"type":"message","text":"last words"}""", """{"type":"result","is_error":true}""").Observation;

        Assert.True(withError.ResultIsError);
        Assert.Equal("quota exceeded", withError.ErrorText);
        Assert.Equal("gave up", withError.ResultText);
        Assert.True(withText.ResultIsError);
        Assert.Equal("last words", withText.ErrorText);
        Assert.Equal("last words", withText.ResultText);
    }
}
