using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>The real CLIs' recorded output, copied beside the executable under recordings/&lt;cli&gt;/.</summary>
internal static class Recording
{
    public static List<JsonObject> Load(string cli, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "recordings", cli, name);
        return [.. File.ReadLines(path).Where(line => line.Length > 0).Select(line => JsonNode.Parse(line)!.AsObject())];
    }

    public static string? Type(JsonNode? line) => Json.Str(line, "type");
}
