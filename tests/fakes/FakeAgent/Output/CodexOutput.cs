using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>
/// Codex's exec --json: 01-exec-json, or with a tool call 07-tool-bypass / 08-tool-ws-write (a shell
/// command writes the file) or 09-tool-readonly (the sandbox stops it: only the message).
/// </summary>
internal static class CodexOutput
{
    public static int Write(Run run)
    {
        var lines = run.FileName is null ? Recording.Load("codex", "01-exec-json.out")
            : !run.Invocation.CanWrite ? Recording.Load("codex", "09-tool-readonly.out")
            : run.Invocation.Bypass ? Recording.Load("codex", "07-tool-bypass.out")
            : Recording.Latest("codex", "task-write", "08-tool-ws-write.out");
        for (var i = 0; i < lines.Count - 1; i++)
        {
            var line = lines[i];
            var item = line["item"];
            switch (Recording.Type(line))
            {
                case "thread.started":
                    line["thread_id"] = run.SessionId;
                    break;
                case "item.started" or "item.completed" when Json.Str(item, "type") == "command_execution":
                    item!["command"] = $"/bin/bash -lc \"printf 'hello from the mock model\\\\n' > {run.FileName}\"";
                    if (Recording.Type(line) == "item.completed")
                        run.CreateFile();
                    break;
                case "item.completed" when Json.Str(item, "type") == "agent_message":
                    item!["text"] = run.Reply;
                    break;
            }
            run.Output.Line(line);
        }

        run.Spend(_ => new JsonObject
        {
            ["type"] = "turn.completed",
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = 1_000_000,
                ["cached_input_tokens"] = 0,
                ["cache_write_input_tokens"] = 0,
                ["output_tokens"] = 100_000,
                ["reasoning_output_tokens"] = 0,
            },
        });
        if (run.Scenario.Error)
        {
            run.Output.Line(new JsonObject { ["type"] = "turn.failed", ["error"] = new JsonObject { ["message"] = "mock failure" } });
            return 1;
        }
        run.Output.Line(lines[^1]);
        return 0;
    }
}
