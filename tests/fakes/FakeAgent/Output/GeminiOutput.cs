using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>
/// Gemini's stream-json: 02-stream (init, user message, assistant deltas, result), or when the
/// approval mode allows the write, 07-yolo-tool (with tool_use and tool_result).
/// </summary>
internal static class GeminiOutput
{
    public static int Write(Run run)
    {
        var lines = run.Writes ? Recording.Latest("gemini", "task-write", "07-yolo-tool.out") : Recording.Load("gemini", "02-stream.out");
        var deltas = lines.Count(IsAssistant);
        var delta = 0;
        var toolId = $"write_file__write_file_{Ids.UnixMs()}_0";
        for (var i = 0; i < lines.Count - 1; i++)
        {
            var line = lines[i];
            line["timestamp"] = Ids.IsoNow();
            switch (Recording.Type(line))
            {
                case "init":
                    line["session_id"] = run.SessionId;
                    line["model"] = run.Invocation.Model ?? "auto";
                    break;
                case "message" when IsAssistant(line):
                    // The recording splits the reply in two deltas: keep the split where it has one.
                    line["content"] = deltas == 1 ? run.Reply : delta++ == 0 ? run.ReplyPrefix : run.ReplyQuote;
                    break;
                case "message":
                    line["content"] = run.Prompt;
                    break;
                case "tool_use":
                    line["tool_id"] = toolId;
                    line["parameters"]!["file_path"] = run.FilePath;
                    break;
                case "tool_result":
                    run.CreateFile();
                    line["tool_id"] = toolId;
                    break;
            }
            run.Output.Line(line);
        }

        var result = lines[^1];
        result["timestamp"] = Ids.IsoNow();
        if (run.Invocation.Model is { } model)
            SingleModel(result["stats"]!.AsObject(), model);
        if (!run.Scenario.Error)
        {
            run.Output.Line(result);
            return 0;
        }
        result["status"] = "error";
        result["error"] = new JsonObject { ["type"] = "mock", ["message"] = "mock failure" };
        run.Output.Line(result);
        return 1;
    }

    private static bool IsAssistant(JsonObject line) => Recording.Type(line) == "message" && Json.Str(line, "role") == "assistant";

    /// <summary>
    /// With -m there is no router model: the main model's numbers (the recording's biggest entry)
    /// under the requested name, and the totals equal to them.
    /// </summary>
    private static void SingleModel(JsonObject stats, string model)
    {
        var main = stats["models"]!.AsObject().MaxBy(m => m.Value!["total_tokens"]!.GetValue<long>()).Value!.DeepClone();
        stats["models"] = new JsonObject { [model] = main };
        foreach (var key in new[] { "total_tokens", "input_tokens", "output_tokens", "cached", "input" })
            stats[key] = main[key]!.DeepClone();
    }
}
