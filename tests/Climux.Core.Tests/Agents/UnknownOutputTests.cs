using Climux.Core.Agents;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.Agents;

/// <summary>An event a parser was not written for is kept as a Warning holding the line: the drift conformance run fails on it.</summary>
public sealed class UnknownOutputTests
{
    public static TheoryData<AgentProvider, string, string> Cases => new()
    {
        { new ClaudeCodeProvider(), "claude", """{"type":"system","subtype":"brand_new_thing","session_id":"s"}""" },
        { new ClaudeCodeProvider(), "claude", """{"type":"tool_progress","id":"x"}""" },
        { new CodexProvider(), "codex", """{"type":"turn.paused"}""" },
        { new CodexProvider(), "codex", """{"type":"item.completed","item":{"id":"i","type":"hologram"}}""" },
        { new GeminiCliProvider(), "gemini", """{"type":"thought","content":"hm"}""" },
        { new OpenCodeProvider(), "opencode", """{"type":"reasoning_delta","sessionID":"ses_1","part":{}}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_unknown_event_is_a_warning_with_the_line(AgentProvider provider, string cli, string line)
    {
        var run = ParserRun.Of(provider).Feed(line);
        var warning = Assert.Single(run.Entries, e => e.Kind == SessionEventKind.Warning);
        Assert.Equal(AgentOutputParser.UnknownOutputData, warning.Data);
        Assert.EndsWith(line, warning.Text);
        Assert.NotNull(cli);
    }

    [Fact]
    public void Claude_Codes_permission_denied_event_of_newer_versions_is_known_as_a_warning()
    {
        // As claude-code 2.1.332 printed it in the drift conformance run (a Plan run that tried to write).
        const string line = """{"type":"system","subtype":"permission_denied","tool_name":"Write","tool_use_id":"toolu_1","decision_reason_type":"mode","message":"Cannot write to /w/mock_output.txt while in plan mode.","uuid":"u","session_id":"s"}""";

        var warning = Assert.Single(ParserRun.Of(new ClaudeCodeProvider()).Feed(line).Entries);

        Assert.Equal(SessionEventKind.Warning, warning.Kind);
        Assert.NotEqual(AgentOutputParser.UnknownOutputData, warning.Data);
        Assert.Equal("Permission denied: Cannot write to /w/mock_output.txt while in plan mode.", warning.Text);
        Assert.Equal("Write", warning.Tool);
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("codex")]
    [InlineData("gemini")]
    [InlineData("opencode")]
    public void Every_recording_of_the_pinned_versions_is_known(string cli)
    {
        AgentProvider provider = cli switch
        {
            "claude" => new ClaudeCodeProvider(),
            "codex" => new CodexProvider(),
            "gemini" => new GeminiCliProvider(),
            _ => new OpenCodeProvider(),
        };
        var folder = Path.Combine(AppContext.BaseDirectory, "recordings", cli);
        foreach (var file in Directory.GetFiles(folder, "*.out"))
        {
            var lines = File.ReadAllLines(file).Where(l => l.TrimStart().StartsWith('{'));
            var run = ParserRun.Of(provider).Feed(lines).Complete();
            var unknown = run.Entries.Where(e => e.Data == AgentOutputParser.UnknownOutputData).Select(e => e.Text).ToList();
            Assert.True(unknown.Count == 0, $"{Path.GetFileName(file)}: {string.Join("\n", unknown)}");
        }
    }
}
