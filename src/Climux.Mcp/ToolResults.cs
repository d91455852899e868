using System.Text.Json;
using System.Text.Json.Nodes;
using Climux.Core.Config;
using Climux.Core.FanIn;
using Climux.Core.Json;
using Climux.Core.Quotas;
using Climux.Core.Runs;
using Climux.Core.Sessions;
using Climux.Core.Store;
using Climux.Core.Worktrees;
using Climux.PowerShell.Cmdlets;
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

    /// <summary>The error id the cmdlets give an engine exception; null for one that is not the caller's doing or a known refusal.</summary>
    public static string? ErrorIdOf(Exception exception) => exception switch
    {
        McpToolException e => e.ErrorId,
        ConfigException => ErrorIds.ConfigInvalid,
        StoreCorruptException => ErrorIds.StoreCorrupt,
        StoreVersionException => ErrorIds.StoreTooNew,
        StoreException => ErrorIds.StoreUnavailable,
        BudgetExceededException => ErrorIds.BudgetExceeded,
        DirectoryBusyException => ErrorIds.WorktreeBusy,
        SessionNotFoundException => ErrorIds.SessionNotFound,
        StopTimeoutException => ErrorIds.StopTimeout,
        RunRequestException e => ErrorIds.Of(e.Kind),
        WorktreeException e => ErrorIds.Of(e.Problem),
        FanInException e => ErrorIds.Of(e.Problem),
        LibGit2Sharp.LibGit2SharpException => ErrorIds.WorktreeGitError,
        _ => null,
    };
}
