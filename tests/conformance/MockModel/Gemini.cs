using System.Text.Json.Nodes;

namespace Climux.MockModel;

/// <summary>Google's Gemini API: generateContent, streamGenerateContent (SSE) and countTokens.</summary>
internal static class Gemini
{
    public static async Task HandleAsync(HttpContext http, string modelAndMethod)
    {
        var raw = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var body = JsonNode.Parse(raw.Length > 0 ? raw : "{}")!.AsObject();
        var (model, method) = modelAndMethod.IndexOf(':') is var colon and > 0
            ? (modelAndMethod[..colon], modelAndMethod[(colon + 1)..])
            : (modelAndMethod, "generateContent");
        if (method == "countTokens")
        {
            await http.Response.WriteAsJsonAsync(new JsonObject { ["totalTokens"] = Conversation.Tokens(raw) });
            return;
        }

        var config = body["generationConfig"] as JsonObject;
        var schema = config?["responseJsonSchema"] ?? config?["responseSchema"];
        JsonObject part;
        int turn;
        if (schema is not null || config?["responseMimeType"]?.GetValue<string>() == "application/json")
        {
            // Structured output (Gemini's model router, next-speaker checks): a plausible object.
            part = new JsonObject { ["text"] = Conversation.FromSchema(schema)?.ToJsonString() ?? "{}" };
            turn = 1;
        }
        else
        {
            var declarations = (body["tools"] as JsonArray ?? []).SelectMany(t => t?["functionDeclarations"] as JsonArray ?? [])
                .Select(d => d?["name"]?.GetValue<string>()).ToList();
            var turns = (body["contents"] as JsonArray ?? []).Select(ToTurn).ToList();
            var reply = Conversation.Decide(turns, declarations.Contains("write_file"));
            turn = reply.Turn;
            part = reply is WriteFileReply
                ? new JsonObject
                {
                    ["functionCall"] = new JsonObject
                    {
                        ["name"] = "write_file",
                        ["args"] = new JsonObject
                        {
                            ["file_path"] = Path.Combine(Conversation.WorkingDirectory(raw) ?? ".", Conversation.FileName),
                            ["content"] = Conversation.FileContent,
                        },
                    },
                }
                : new JsonObject { ["text"] = ((TextReply)reply).Text };
        }

        var prompt = Conversation.Tokens(raw);
        var cached = turn > 1 ? prompt - 20 : 0;
        var output = Conversation.Tokens(part.ToJsonString());
        var response = new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(part) },
                ["finishReason"] = "STOP",
                ["index"] = 0,
            }),
            ["usageMetadata"] = new JsonObject
            {
                ["promptTokenCount"] = prompt, ["candidatesTokenCount"] = output, ["totalTokenCount"] = prompt + output,
                ["cachedContentTokenCount"] = cached,
            },
            ["modelVersion"] = model,
            ["responseId"] = Guid.NewGuid().ToString("N")[..20],
        };

        if (method == "streamGenerateContent")
            await new Sse(http).Event(null, response);
        else
            await http.Response.WriteAsJsonAsync(response);
    }

    private static Turn ToTurn(JsonNode? content)
    {
        var role = content?["role"]?.GetValue<string>() == "model" ? "assistant" : "user";
        var parts = (content?["parts"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var toolResult = parts.Any(p => p.ContainsKey("functionResponse"));
        return new Turn(role, Conversation.PromptText(parts.Select(p => p["text"]?.GetValue<string>())), toolResult);
    }
}
