using System.Text.Json.Nodes;

namespace Climux.MockModel;

/// <summary>OpenAI's Responses API (Codex CLI).</summary>
internal static class OpenAiResponses
{
    public static async Task HandleAsync(HttpContext http)
    {
        var raw = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var body = JsonNode.Parse(raw)!.AsObject();
        var model = body["model"]?.GetValue<string>() ?? "gpt-mock";
        var tools = (body["tools"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var shell = tools.FirstOrDefault(t => t["name"]?.GetValue<string>() is "shell" or "exec_command" or "shell_command");
        var turns = Turns(body["input"]).ToList();
        var reply = Conversation.Decide(turns, shell is not null);

        var output = new JsonArray();
        if (reply is WriteFileReply)
        {
            var name = shell!["name"]!.GetValue<string>();
            var script = $"printf 'hello from the mock model\\n' > {Conversation.FileName}";
            JsonObject arguments = name switch
            {
                "shell" => new JsonObject { ["command"] = new JsonArray("bash", "-lc", script) },
                "exec_command" => new JsonObject { ["cmd"] = script },
                _ => new JsonObject { ["command"] = script },
            };
            output.Add(new JsonObject
            {
                ["id"] = "fc_" + Guid.NewGuid().ToString("N")[..24], ["type"] = "function_call", ["status"] = "completed",
                ["call_id"] = "call_" + Guid.NewGuid().ToString("N")[..24], ["name"] = name, ["arguments"] = arguments.ToJsonString(),
            });
        }
        else
        {
            output.Add(new JsonObject
            {
                ["id"] = "msg_" + Guid.NewGuid().ToString("N")[..24], ["type"] = "message", ["status"] = "completed", ["role"] = "assistant",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = ((TextReply)reply).Text, ["annotations"] = new JsonArray() }),
            });
        }

        // Input tokens include the cached ones, as OpenAI reports them.
        var input = Conversation.Tokens(raw);
        var cached = reply.Turn > 1 || turns.Any(t => t.IsToolResult) ? input - 40 : 0;
        var outputTokens = Conversation.Tokens(output.ToJsonString());
        var id = "resp_" + Guid.NewGuid().ToString("N")[..24];
        JsonObject Response(string status, JsonArray items, bool withUsage) => new()
        {
            ["id"] = id, ["object"] = "response", ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["status"] = status,
            ["model"] = model, ["output"] = items,
            ["usage"] = withUsage
                ? new JsonObject
                {
                    ["input_tokens"] = input, ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = cached },
                    ["output_tokens"] = outputTokens, ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
                    ["total_tokens"] = input + outputTokens,
                }
                : null,
        };

        if (body["stream"]?.GetValue<bool>() != true)
        {
            await http.Response.WriteAsJsonAsync(Response("completed", output, withUsage: true));
            return;
        }
        var sse = new Sse(http);
        var sequence = 0;
        async Task Send(string type, JsonObject data)
        {
            data["type"] = type;
            data["sequence_number"] = sequence++;
            await sse.Event(type, data);
        }
        await Send("response.created", new JsonObject { ["response"] = Response("in_progress", [], withUsage: false) });
        for (var i = 0; i < output.Count; i++)
        {
            var item = output[i]!.AsObject();
            var added = item.DeepClone().AsObject();
            added["status"] = "in_progress";
            if (added["type"]!.GetValue<string>() == "message")
                added["content"] = new JsonArray();
            await Send("response.output_item.added", new JsonObject { ["output_index"] = i, ["item"] = added });
            if (item["type"]!.GetValue<string>() == "message")
            {
                var text = item["content"]![0]!["text"]!.GetValue<string>();
                await Send("response.content_part.added", new JsonObject
                {
                    ["item_id"] = item["id"]!.DeepClone(), ["output_index"] = i, ["content_index"] = 0,
                    ["part"] = new JsonObject { ["type"] = "output_text", ["text"] = "", ["annotations"] = new JsonArray() },
                });
                await Send("response.output_text.delta", new JsonObject
                {
                    ["item_id"] = item["id"]!.DeepClone(), ["output_index"] = i, ["content_index"] = 0, ["delta"] = text,
                });
                await Send("response.output_text.done", new JsonObject
                {
                    ["item_id"] = item["id"]!.DeepClone(), ["output_index"] = i, ["content_index"] = 0, ["text"] = text,
                });
            }
            await Send("response.output_item.done", new JsonObject { ["output_index"] = i, ["item"] = item.DeepClone() });
        }
        await Send("response.completed", new JsonObject { ["response"] = Response("completed", (JsonArray)output.DeepClone(), withUsage: true) });
    }

    private static IEnumerable<Turn> Turns(JsonNode? input)
    {
        if (input is JsonValue single)
        {
            yield return new Turn("user", single.GetValue<string>(), false);
            yield break;
        }
        foreach (var item in (input as JsonArray ?? []).OfType<JsonObject>())
        {
            var type = item["type"]?.GetValue<string>() ?? "message";
            if (type == "function_call_output" || type == "custom_tool_call_output")
                yield return new Turn("user", null, true);
            else if (type == "message")
            {
                var role = item["role"]?.GetValue<string>() ?? "user";
                var content = item["content"];
                var texts = content is JsonValue text
                    ? [text.GetValue<string>()]
                    : (content as JsonArray ?? []).Select(c => c?["text"]?.GetValue<string>());
                yield return new Turn(role == "developer" || role == "system" ? "system" : role, Conversation.PromptText(texts), false);
            }
        }
    }
}
