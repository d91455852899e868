using System.Text.Json.Nodes;

namespace Climux.MockModel;

/// <summary>OpenAI's Chat Completions API (Qwen Code, and any OpenAI-compatible client), streamed or not.</summary>
internal static class OpenAiChat
{
    public static async Task HandleAsync(HttpContext http)
    {
        var raw = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var body = JsonNode.Parse(raw)!.AsObject();
        var model = body["model"]?.GetValue<string>() ?? "qwen-mock";
        var tools = (body["tools"] as JsonArray ?? []).Select(t => t?["function"]?["name"]?.GetValue<string>()).Where(n => n is not null).ToList();
        var writeTool = tools.FirstOrDefault(n => n is "write_file" or "Write" or "write");
        var turns = (body["messages"] as JsonArray ?? []).OfType<JsonObject>().Select(ToTurn).ToList();
        var reply = Conversation.Decide(turns, writeTool is not null);

        var message = new JsonObject { ["role"] = "assistant" };
        var finish = "stop";
        if (reply is WriteFileReply write)
        {
            var path = Path.Combine(Conversation.WorkingDirectory(raw) ?? ".", Conversation.FileName);
            message["content"] = write.Intro;
            message["tool_calls"] = new JsonArray(new JsonObject
            {
                ["index"] = 0, ["id"] = "call_" + Guid.NewGuid().ToString("N")[..24], ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = writeTool,
                    ["arguments"] = new JsonObject { ["file_path"] = path, ["content"] = Conversation.FileContent }.ToJsonString(),
                },
            });
            finish = "tool_calls";
        }
        else
            message["content"] = ((TextReply)reply).Text;

        var prompt = Conversation.Tokens(raw);
        var completion = Conversation.Tokens(message.ToJsonString());
        var usage = new JsonObject
        {
            ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = reply.Turn > 1 ? prompt / 2 : 0 },
        };
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        if (body["stream"]?.GetValue<bool>() != true)
        {
            await http.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = id, ["object"] = "chat.completion", ["created"] = created, ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finish }),
                ["usage"] = usage,
            });
            return;
        }

        var sse = new Sse(http);
        JsonObject Chunk(JsonObject delta, string? finishReason, JsonObject? withUsage = null) => new()
        {
            ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
            ["usage"] = withUsage,
        };
        await sse.Event(null, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = message["content"]!.DeepClone() }, null));
        if (message["tool_calls"] is JsonArray calls)
            await sse.Event(null, Chunk(new JsonObject { ["tool_calls"] = calls.DeepClone() }, null));
        await sse.Event(null, Chunk(new JsonObject(), finish, usage));
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static Turn ToTurn(JsonObject message)
    {
        var role = message["role"]?.GetValue<string>() ?? "user";
        if (role == "tool")
            return new Turn("user", null, true);
        var content = message["content"];
        var texts = content switch
        {
            JsonValue value => [value.GetValue<string>()],
            JsonArray parts => parts.Select(p => p?["text"]?.GetValue<string>()),
            _ => [],
        };
        return new Turn(role, Conversation.PromptText(texts), false);
    }
}
