using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>
/// OpenCode's run --format json: 01-run-json (step_start, text, step_finish) or, when the build
/// agent writes, 05-tool (a first step with the write tool, a second with the text).
/// </summary>
internal static class OpenCodeOutput
{
    public static int Write(Run run)
    {
        var lines = run.Writes ? Recording.Latest("opencode", "task-write", "05-tool.out") : Recording.Load("opencode", "01-run-json.out");
        var ids = new IdMap();
        foreach (var line in lines)
        {
            line["sessionID"] = run.SessionId;
            var part = line["part"]!;
            part["sessionID"] = run.SessionId;
            ids.Replace(part, "id");
            ids.Replace(part, "messageID");
        }

        for (var i = 0; i < lines.Count - 1; i++)
        {
            var line = lines[i];
            line["timestamp"] = Ids.UnixMs();
            var part = line["part"]!;
            switch (Recording.Type(line))
            {
                case "text":
                    part["text"] = run.Reply;
                    part["time"] = Span();
                    break;
                case "tool_use":
                    ids.Replace(part, "callID");
                    var state = part["state"]!;
                    state["input"]!["filePath"] = run.FilePath;
                    state["metadata"]!["filepath"] = run.FilePath;
                    state["title"] = run.FileName;
                    state["time"] = Span();
                    run.CreateFile();
                    break;
            }
            run.Output.Line(line);
        }

        var final = lines[^1];
        run.Spend(_ =>
        {
            var step = final.DeepClone();
            step["timestamp"] = Ids.UnixMs();
            step["part"]!["id"] = "prt_" + Ids.Alphanumeric(26);
            step["part"]!["tokens"] = new JsonObject
            {
                ["total"] = 1_100_000,
                ["input"] = 1_000_000,
                ["output"] = 100_000,
                ["reasoning"] = 0,
                ["cache"] = new JsonObject { ["write"] = 0, ["read"] = 0 },
            };
            step["part"]!["cost"] = 4.5;
            return step;
        });
        if (run.Scenario.Error)
        {
            run.Output.Line(new JsonObject
            {
                ["type"] = "error",
                ["timestamp"] = Ids.UnixMs(),
                ["sessionID"] = run.SessionId,
                ["error"] = new JsonObject { ["name"] = "MockError", ["data"] = new JsonObject { ["message"] = "mock failure" } },
            });
            return 1;
        }
        final["timestamp"] = Ids.UnixMs();
        run.Output.Line(final);
        return 0;
    }

    private static JsonObject Span() => new() { ["start"] = Ids.UnixMs(), ["end"] = Ids.UnixMs() };
}
