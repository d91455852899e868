using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

internal static class Json
{
    /// <summary>Like the real CLIs: compact, and non-ASCII text as UTF-8 rather than \u escapes.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? Str(JsonNode? node, string key) =>
        node is JsonObject o && o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static int? Int(JsonNode? node, string key) =>
        node is JsonObject o && o[key] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;

    public static void AddLong(JsonNode node, string key, long amount) => node[key] = node[key]!.GetValue<long>() + amount;

    public static void AddDouble(JsonNode node, string key, double amount) => node[key] = node[key]!.GetValue<double>() + amount;

    /// <summary>Renames the only key of an object (a per-model breakdown) to <paramref name="key"/>.</summary>
    public static void RenameOnlyKey(JsonObject obj, string key)
    {
        var (old, value) = obj.First();
        obj.Remove(old);
        obj[key] = value;
    }
}
