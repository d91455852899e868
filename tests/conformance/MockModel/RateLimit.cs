using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Climux.MockModel;

/// <summary>
/// [[rate-limit:cli,…]] in a request (the prompt travels in every request of its conversation): the API
/// that CLI calls answers 429 with retry-after 0 and its provider's own error body, the others answer
/// as usual, so a run can fall back from one API to another. claude (and OpenCode, which calls the same
/// API) → Anthropic Messages; codex → OpenAI Responses; gemini → Gemini.
/// </summary>
internal static partial class RateLimit
{
    public static string? Applies(PathString path, string body)
    {
        var api = path.StartsWithSegments("/v1/messages") ? "claude"
            : path.StartsWithSegments("/v1/responses") ? "codex"
            : path.StartsWithSegments("/v1beta/models") || path.StartsWithSegments("/v1/models") && path.Value!.Contains(':') ? "gemini"
            : null;
        if (api is null)
            return null;
        foreach (Match marker in Marker().Matches(body))
        {
            if (marker.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries).Contains(api))
                return api;
        }
        return null;
    }

    public static async Task AnswerAsync(HttpContext http, string api)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers["retry-after"] = "0";
        var body = api switch
        {
            "claude" => new JsonObject
            {
                ["type"] = "error",
                ["error"] = new JsonObject { ["type"] = "rate_limit_error", ["message"] = "mock-model: rate limited ([[rate-limit]] in the prompt)" },
            },
            "codex" => new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["type"] = "rate_limit_exceeded", ["code"] = "rate_limit_exceeded",
                    ["message"] = "mock-model: rate limited ([[rate-limit]] in the prompt)", ["param"] = null,
                },
            },
            _ => new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["code"] = 429, ["status"] = "RESOURCE_EXHAUSTED",
                    ["message"] = "mock-model: resource exhausted ([[rate-limit]] in the prompt)",
                },
            },
        };
        await http.Response.WriteAsJsonAsync(body);
    }

    // In a JSON body the brackets may arrive as they are or escaped.
    [GeneratedRegex(@"\[\[rate-limit:([a-z,\- ]+)\]\]")]
    private static partial Regex Marker();
}
