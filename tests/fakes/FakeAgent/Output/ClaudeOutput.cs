using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>
/// Claude Code's stream-json: 01-stream (init, assistant, result) or, with a tool call,
/// 07-tool-write (init, assistant text, assistant tool_use, user tool_result, assistant, result).
/// </summary>
internal static class ClaudeOutput
{
    private const string DefaultModel = "claude-opus-4-8";

    public static int Write(Run run)
    {
        var tool = run.FileName is not null;
        var lines = tool ? Recording.Latest("claude", "task-write", "07-tool-write.out") : Recording.Load("claude", "01-stream.out");
        var model = run.Invocation.Model ?? DefaultModel;
        var ids = new IdMap();
        var denials = new JsonArray();
        var lastAssistant = lines.FindLastIndex(line => Recording.Type(line) == "assistant");
        var final = lines[^1];

        for (var i = 0; i < lines.Count - 1; i++)
        {
            var line = lines[i];
            line["session_id"] = run.SessionId;
            line["uuid"] = Ids.Uuid();
            switch (Recording.Type(line))
            {
                case "system":
                    line["cwd"] = run.Cwd;
                    line["model"] = model;
                    line["permissionMode"] = run.Invocation.PermissionMode;
                    line["memory_paths"]!["auto"] = MemoryFolder(run.Cwd);
                    break;
                case "assistant":
                    var message = line["message"]!;
                    ids.Replace(message, "id");
                    ids.Replace(line, "request_id");
                    message["model"] = model;
                    var block = message["content"]![0]!;
                    if (Json.Str(block, "type") == "tool_use")
                    {
                        ids.Replace(block, "id");
                        block["input"]!["file_path"] = run.FilePath;
                    }
                    else if (i == lastAssistant)
                        block["text"] = run.Reply;
                    break;
                case "user":
                    ToolResult(run, line, ids, denials);
                    break;
            }
            run.Output.Line(line);

            // With a tool call the answer takes a second turn, which --max-turns 1 forbids.
            if (Recording.Type(line) == "user" && run.Invocation.MaxTurns < 2)
            {
                run.Output.Line(LimitResult(run, model, denials, "error_max_turns", $"Reached maximum number of turns ({run.Invocation.MaxTurns})"));
                return 1;
            }
        }

        run.Spend(n => SpendMessage(lines[lastAssistant], n, model));
        if (run.Scenario.Error)
        {
            run.Output.Line(LimitResult(run, model, denials, "error_during_execution", "mock failure"));
            return 1;
        }
        final["result"] = run.Reply;
        Totals(run, final, model, denials);
        run.Output.Line(final);
        return 0;
    }

    private static void ToolResult(Run run, JsonObject line, IdMap ids, JsonArray denials)
    {
        var result = line["message"]!["content"]![0]!.AsObject();
        ids.Replace(result, "tool_use_id");
        line["timestamp"] = Ids.IsoNow();
        if (run.Writes)
        {
            run.CreateFile();
            result["content"] = $"File created successfully at: {run.FilePath} (file state is current in your context — no need to Read it back)";
            line["tool_use_result"]!["filePath"] = run.FilePath;
            return;
        }
        var refusal = $"Claude requested permissions to write to {run.FilePath}, but you haven't granted it yet.";
        result["content"] = refusal;
        result["is_error"] = true;
        line["tool_use_result"] = "Error: " + refusal;
        denials.Add(new JsonObject
        {
            ["tool_name"] = "Write",
            ["tool_use_id"] = Json.Str(result, "tool_use_id"),
            ["tool_input"] = new JsonObject { ["file_path"] = run.FilePath, ["content"] = Run.FileContent },
        });
    }

    /// <summary>An error result, in the shape of 15-max-turns: no "result" text, an "errors" list.</summary>
    private static JsonObject LimitResult(Run run, string model, JsonArray denials, string subtype, string error)
    {
        var result = Recording.Load("claude", "15-max-turns.out")[0];
        result["subtype"] = subtype;
        result["num_turns"] = run.FileName is null ? 1 : 2;
        if (subtype != "error_max_turns")
        {
            result["stop_reason"] = null;
            result.Remove("terminal_reason");
        }
        result["errors"] = new JsonArray(error);
        Totals(run, result, model, denials);
        return result;
    }

    private static void Totals(Run run, JsonObject result, string model, JsonArray denials)
    {
        result["session_id"] = run.SessionId;
        result["uuid"] = Ids.Uuid();
        result["permission_denials"] = denials.DeepClone();
        var byModel = result["modelUsage"]!.AsObject();
        Json.RenameOnlyKey(byModel, model);

        // Each [[spend]] message: 1,000,000 input and 100,000 output tokens, $7.50 at opus prices.
        var spend = run.Scenario.Spend;
        if (spend == 0)
            return;
        Json.AddLong(result["usage"]!, "input_tokens", spend * 1_000_000L);
        Json.AddLong(result["usage"]!, "output_tokens", spend * 100_000L);
        Json.AddLong(byModel[model]!, "inputTokens", spend * 1_000_000L);
        Json.AddLong(byModel[model]!, "outputTokens", spend * 100_000L);
        Json.AddDouble(byModel[model]!, "costUSD", spend * 7.5);
        Json.AddDouble(result, "total_cost_usd", spend * 7.5);
    }

    /// <summary>One more assistant message: a new message id, so its usage adds to the others.</summary>
    private static JsonNode SpendMessage(JsonObject template, int n, string model)
    {
        var line = template.DeepClone().AsObject();
        var message = line["message"]!;
        message["id"] = "msg_mock_" + Ids.Hex(24);
        message["model"] = model;
        message["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = $"spending {n}" });
        message["usage"] = new JsonObject
        {
            ["input_tokens"] = 1_000_000,
            ["cache_creation_input_tokens"] = 0,
            ["cache_read_input_tokens"] = 0,
            ["cache_creation"] = new JsonObject { ["ephemeral_5m_input_tokens"] = 0, ["ephemeral_1h_input_tokens"] = 0 },
            ["output_tokens"] = 100_000,
            ["service_tier"] = "standard",
        };
        line["uuid"] = Ids.Uuid();
        line["request_id"] = "req_mock_" + Ids.Hex(24);
        return line;
    }

    /// <summary>Claude keeps memory under ~/.claude/projects/&lt;working folder, every other character a dash&gt;.</summary>
    private static string MemoryFolder(string cwd)
    {
        var project = new string([.. cwd.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".claude", "projects", project, "memory") + Path.DirectorySeparatorChar;
    }
}
