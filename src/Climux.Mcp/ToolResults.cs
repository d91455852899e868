using System.Text.Json;
using System.Text.Json.Nodes;
using Climux.Core.Json;
using ModelContextProtocol.Protocol;

namespace Climux.Mcp;

/// <summary>A tool's bad input or a refused operation: an error result with the cmdlets' error id, never a dead server.</summary>
public sealed class McpToolException(string errorId, string message) : Exception(message)
{
    public string ErrorId { get; } = errorId;
}

/// <summary>
/// What a tool returns: structured content in the shapes of <c>climux … --json</c> (Core/Json), a
/// list wrapped in an object under a plural name (structured content must be an object), and a
/// text rendering for the model, followed by the same JSON.
/// </summary>
internal static class ToolResults
{
    public static CallToolResult Ok<T>(T shape, string text) => Ok(JsonSerializer.SerializeToNode(shape, ClimuxJson.Options)!.AsObject(), text);

    public static CallToolResult List<T>(string name, IReadOnlyList<T> items, Func<T, string> line, string empty)
    {
        var structured = new JsonObject { [name] = JsonSerializer.SerializeToNode(items, ClimuxJson.Options) };
        return Ok(structured, items.Count == 0 ? empty : string.Join('\n', items.Select(line)));
    }

    public static CallToolResult Ok(JsonObject structured, string text) => new()
    {
        StructuredContent = Element(structured),
        Content = [new TextContentBlock { Text = text }, new TextContentBlock { Text = structured.ToJsonString(ClimuxJson.Options) }],
    };

    /// <summary>An error result: <c>{errorId, message}</c> and the text <c>ErrorId: message</c>.</summary>
    public static CallToolResult Error(string errorId, string message) => new()
    {
        IsError = true,
        StructuredContent = Element(new JsonObject { ["errorId"] = errorId, ["message"] = message }),
        Content = [new TextContentBlock { Text = $"{errorId}: {message}" }],
    };

    private static JsonElement Element(JsonObject structured)
    {
        using var document = JsonDocument.Parse(structured.ToJsonString());
        return document.RootElement.Clone();
    }
}
