using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Climux.MockModel;

/// <summary>One message of a conversation as any of the three APIs carries it.</summary>
internal sealed record Turn(string Role, string? Text, bool IsToolResult);

internal abstract record Reply(int Turn);

internal sealed record TextReply(string Text, int Turn) : Reply(Turn);

/// <summary>Ask the client to write mock_output.txt (the file the tests look for).</summary>
internal sealed record WriteFileReply(string Intro, int Turn) : Reply(Turn);

/// <summary>Ask the client to call Climux's MCP tool run_task (climux mcp), waiting for the run it starts.</summary>
internal sealed record ClimuxRunReply(string Intro, string Prompt, int Turn) : Reply(Turn);

/// <summary>
/// Resolve the merge conflict in <see cref="File"/> (relative to the working folder): first read it
/// (<see cref="ReadFirst"/>; Claude Code writes only files it has read), then rewrite it without markers.
/// </summary>
internal sealed record ResolveConflictReply(string File, bool ReadFirst, int Turn) : Reply(Turn);

/// <summary>
/// The mock model's whole mind: it answers "MOCK_REPLY turn=N: you said "…"", where N counts the
/// user prompts it was sent (so a resumed conversation shows its history), and for a prompt
/// with [[write-file]] it calls the client's file-writing tool, then confirms the tool's result;
/// for one with [[mcp-run-task]] it calls the MCP tool <see cref="ClimuxRunTool"/>.
/// Given Climux's merge-conflict prompt (a "Conflicted files:" list) by a client that can read and
/// write, it reads the first conflicted file, rewrites it keeping both sides, then says it is done.
/// </summary>
internal static partial class Conversation
{
    public const string FileName = "mock_output.txt";
    public const string FileContent = "hello from the mock model\n";

    /// <summary>Climux's run_task as Claude Code names the tools of an MCP server called climux.</summary>
    public const string ClimuxRunTool = "mcp__climux__run_task";

    /// <summary>The prompt of the run the mock asks climux mcp to start.</summary>
    public const string ClimuxRunPrompt = "started through climux mcp";

    public static Reply Decide(IReadOnlyList<Turn> turns, bool canWrite, bool canRead = false, bool canRunClimux = false)
    {
        static bool IsPrompt(Turn t) => t.Role == "user" && !t.IsToolResult && !string.IsNullOrWhiteSpace(t.Text);
        var prompts = turns.Where(IsPrompt).ToList();
        var turn = Math.Max(1, prompts.Count);
        var last = turns.LastOrDefault();
        if (canRead && canWrite && prompts.LastOrDefault()?.Text is { } asked && ConflictedFile().Match(asked) is { Success: true } conflicted)
        {
            var file = conflicted.Groups[1].Value.Trim();
            var toolResults = turns.Skip(turns.ToList().FindLastIndex(IsPrompt) + 1).Count(t => t.IsToolResult);
            return toolResults switch
            {
                0 => new ResolveConflictReply(file, ReadFirst: true, turn),
                1 => new ResolveConflictReply(file, ReadFirst: false, turn),
                _ => new TextReply($"Done: resolved the conflict in {file}, keeping both sides. (turn={turn})", turn),
            };
        }
        var prompt = prompts.LastOrDefault()?.Text?.Trim() ?? "";
        var climuxRun = prompt.Contains("[[mcp-run-task]]", StringComparison.Ordinal);
        if (last is { IsToolResult: true })
            return new TextReply(climuxRun ? $"Done: climux ran the task. (turn={turn})" : $"Done: handled tool result for {FileName}. (turn={turn})", turn);
        if (climuxRun && canRunClimux)
            return new ClimuxRunReply("I will start the task with Climux.", ClimuxRunPrompt, turn);
        if (prompt.Contains("[[write-file]]", StringComparison.Ordinal) && canWrite)
            return new WriteFileReply("I will write the file now.", turn);
        return new TextReply($"MOCK_REPLY turn={turn}: you said \"{prompt}\"", turn);
    }

    /// <summary>Text a user message carries, without the context blocks the CLIs add around the prompt.</summary>
    public static string? PromptText(IEnumerable<string?> blocks)
    {
        var kept = blocks.Where(b => !string.IsNullOrWhiteSpace(b) && !IsContext(b!)).ToList();
        return kept.Count == 0 ? null : string.Join("\n", kept);
    }

    private static bool IsContext(string text)
    {
        var t = text.TrimStart();
        return ContextTag().IsMatch(t) || t.StartsWith("This is the Gemini CLI", StringComparison.Ordinal) ||
               t.StartsWith("Caveat:", StringComparison.Ordinal);
    }

    /// <summary>The working folder the client announced, in any of the CLIs' ways of saying it.</summary>
    public static string? WorkingDirectory(string requestBody)
    {
        foreach (var pattern in new[] { WorkingDirectoryLine(), CwdTag(), GeminiDirectory() })
            if (pattern.Match(requestBody) is { Success: true } m)
                return Regex.Unescape(m.Groups[1].Value).Trim();
        return null;
    }

    /// <summary>A conflicted file's text with git's marker lines dropped: both sides kept.</summary>
    public static string KeepBothSides(string text) =>
        string.Concat(text.Split('\n').Where(line => !MarkerLine().IsMatch(line)).Select(line => line + "\n")).TrimEnd('\n') + "\n";

    public static int Tokens(string text) => Math.Max(1, text.Length / 4);

    /// <summary>Fills a JSON schema with plausible values (for clients that ask for structured output).</summary>
    public static JsonNode? FromSchema(JsonNode? schema)
    {
        if (schema is not JsonObject s)
            return JsonValue.Create("mock");
        if (s["enum"] is JsonArray values && values.Count > 0)
            return values.FirstOrDefault(v => v?.GetValue<string>() is "user" or "flash")?.DeepClone() ?? values[0]!.DeepClone();
        var type = (s["type"] as JsonValue)?.GetValue<string>()?.ToLowerInvariant();
        switch (type)
        {
            case "object":
                var result = new JsonObject();
                if (s["properties"] is JsonObject properties)
                    foreach (var (name, property) in properties)
                        result[name] = FromSchema(property);
                return result;
            case "array":
                return new JsonArray();
            case "boolean":
                return JsonValue.Create(false);
            case "integer" or "number":
                return s["minimum"]?.DeepClone() ?? JsonValue.Create(0);
            default:
                return JsonValue.Create("mock");
        }
    }

    [GeneratedRegex(@"Conflicted files:\s*\n- ([^\n]+)")]
    private static partial Regex ConflictedFile();

    [GeneratedRegex(@"^(<<<<<<< |=======$|>>>>>>> |\|\|\|\|\|\|\| )")]
    private static partial Regex MarkerLine();

    [GeneratedRegex(@"^<(system-reminder|environment_context|user_instructions|env|context|session_context|permissions instructions)[\s>]")]
    private static partial Regex ContextTag();

    [GeneratedRegex(@"Working directory: ([^\s""\\]+(?:\\\\[^\s""]+)*)")]
    private static partial Regex WorkingDirectoryLine();

    [GeneratedRegex(@"<cwd>([^<]+)</cwd>")]
    private static partial Regex CwdTag();

    [GeneratedRegex(@"working in the directory: ([^\s""\\]+)")]
    private static partial Regex GeminiDirectory();
}
