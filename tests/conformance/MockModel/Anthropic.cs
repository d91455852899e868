using System.Text.Json.Nodes;

namespace Climux.MockModel;

/// <summary>Anthropic's Messages API (Claude Code, and OpenCode through @ai-sdk/anthropic).</summary>
internal static class Anthropic
{
    public static async Task HandleAsync(HttpContext http)
    {
        var raw = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var body = JsonNode.Parse(raw)!.AsObject();
        var model = body["model"]?.GetValue<string>() ?? "claude-mock";
        var tools = (body["tools"] as JsonArray ?? []).Select(t => t?["name"]?.GetValue<string>()).Where(n => n is not null).ToList();
        var writeTool = tools.FirstOrDefault(n => n is "Write" or "write");
        var readTool = tools.FirstOrDefault(n => n is "Read" or "read");
        var turns = (body["messages"] as JsonArray ?? []).Select(ToTurn).ToList();
        var reply = Conversation.Decide(turns, writeTool is not null, readTool is not null, tools.Contains(Conversation.ClimuxRunTool));

        var blocks = new JsonArray();
        var stop = "end_turn";
        if (reply is WriteFileReply write)
        {
            var path = Path.Combine(Conversation.WorkingDirectory(raw) ?? ".", Conversation.FileName);
            blocks.Add(new JsonObject { ["type"] = "text", ["text"] = write.Intro });
            blocks.Add(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = "toolu_" + Guid.NewGuid().ToString("N")[..24],
                ["name"] = writeTool,
                ["input"] = writeTool == "Write"
                    ? new JsonObject { ["file_path"] = path, ["content"] = Conversation.FileContent }
                    : new JsonObject { ["filePath"] = path, ["content"] = Conversation.FileContent },
            });
            stop = "tool_use";
        }
        else if (reply is ClimuxRunReply run)
        {
            blocks.Add(new JsonObject { ["type"] = "text", ["text"] = run.Intro });
            blocks.Add(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = "toolu_" + Guid.NewGuid().ToString("N")[..24],
                ["name"] = Conversation.ClimuxRunTool,
                ["input"] = new JsonObject { ["prompt"] = run.Prompt, ["provider"] = "claude-code", ["wait"] = true },
            });
            stop = "tool_use";
        }
        else if (reply is ResolveConflictReply resolve)
        {
            var path = Path.Combine(Conversation.WorkingDirectory(raw) ?? ".", resolve.File);
            var (tool, input) = resolve.ReadFirst
                ? (readTool, new JsonObject { [readTool == "Read" ? "file_path" : "filePath"] = path })
                : (writeTool, new JsonObject { [writeTool == "Write" ? "file_path" : "filePath"] = path, ["content"] = Conversation.KeepBothSides(LastToolResult(body)) });
            blocks.Add(new JsonObject { ["type"] = "text", ["text"] = resolve.ReadFirst ? $"Let me look at {resolve.File}." : $"I will keep both sides in {resolve.File}." });
            blocks.Add(new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_" + Guid.NewGuid().ToString("N")[..24], ["name"] = tool, ["input"] = input });
            stop = "tool_use";
        }
        else
            blocks.Add(new JsonObject { ["type"] = "text", ["text"] = ((TextReply)reply).Text });

        // First request of a conversation writes the prompt cache, later ones read it.
        var context = Conversation.Tokens(raw);
        var firstTurn = reply.Turn == 1 && !turns.Any(t => t.IsToolResult);
        var usage = new JsonObject
        {
            ["input_tokens"] = 20,
            ["cache_creation_input_tokens"] = firstTurn ? context : 0,
            ["cache_read_input_tokens"] = firstTurn ? 0 : context,
            ["output_tokens"] = Conversation.Tokens(blocks.ToJsonString()),
        };
        var id = "msg_mock_" + Guid.NewGuid().ToString("N")[..24];

        if (body["stream"]?.GetValue<bool>() != true)
        {
            await http.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = id, ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = blocks,
                ["stop_reason"] = stop, ["stop_sequence"] = null, ["usage"] = usage,
            });
            return;
        }

        var sse = new Sse(http);
        var startUsage = usage.DeepClone().AsObject();
        startUsage["output_tokens"] = 1;
        await sse.Event("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = id, ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(),
                ["stop_reason"] = null, ["stop_sequence"] = null, ["usage"] = startUsage,
            },
        });
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i]!.AsObject();
            var isText = block["type"]!.GetValue<string>() == "text";
            var start = isText
                ? new JsonObject { ["type"] = "text", ["text"] = "" }
                : new JsonObject { ["type"] = "tool_use", ["id"] = block["id"]!.DeepClone(), ["name"] = block["name"]!.DeepClone(), ["input"] = new JsonObject() };
            await sse.Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = i, ["content_block"] = start });
            var delta = isText
                ? new JsonObject { ["type"] = "text_delta", ["text"] = block["text"]!.DeepClone() }
                : new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = block["input"]!.ToJsonString() };
            await sse.Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = i, ["delta"] = delta });
            await sse.Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = i });
        }
        await sse.Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stop, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = usage["output_tokens"]!.DeepClone() },
        });
        await sse.Event("message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    /// <summary>What the client's last tool call returned (here: the file it read), without the line numbers Read puts in front.</summary>
    private static string LastToolResult(JsonObject body)
    {
        var result = (body["messages"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(m => m["content"] as JsonArray ?? []).OfType<JsonObject>()
            .LastOrDefault(b => b["type"]?.GetValue<string>() == "tool_result")?["content"];
        var text = result is JsonValue value ? value.GetValue<string>()
            : string.Concat((result as JsonArray ?? []).OfType<JsonObject>().Select(b => b["text"]?.GetValue<string>()));
        return System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^\s*\d+(\t|\u2192)", "");
    }

    private static Turn ToTurn(JsonNode? message)
    {
        var role = message?["role"]?.GetValue<string>() ?? "user";
        var content = message?["content"];
        if (content is JsonValue value)
            return new Turn(role, Conversation.PromptText([value.GetValue<string>()]), false);
        var blocks = (content as JsonArray ?? []).OfType<JsonObject>().ToList();
        var toolResult = blocks.Any(b => b["type"]?.GetValue<string>() == "tool_result");
        var texts = blocks.Where(b => b["type"]?.GetValue<string>() == "text").Select(b => b["text"]?.GetValue<string>());
        return new Turn(role, Conversation.PromptText(texts), toolResult);
    }
}

/// <summary>Server-sent events, flushed one at a time.</summary>
internal sealed class Sse
{
    private readonly HttpContext _http;

    public Sse(HttpContext http)
    {
        _http = http;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
    }

    public async Task Event(string? name, JsonNode data)
    {
        var text = (name is null ? "" : $"event: {name}\n") + $"data: {data.ToJsonString()}\n\n";
        await _http.Response.WriteAsync(text);
        await _http.Response.Body.FlushAsync();
    }
}
