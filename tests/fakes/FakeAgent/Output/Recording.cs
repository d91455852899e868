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

    /// <summary>
    /// The output of the last conformance run (conformance-&lt;name&gt;.out, written by
    /// ./build.ps1 conformance -UpdateFixtures) when there is one, else the original recording.
    /// </summary>
    public static List<JsonObject> Latest(string cli, string conformanceName, string original) =>
        File.Exists(Path.Combine(AppContext.BaseDirectory, "recordings", cli, $"conformance-{conformanceName}.out"))
            ? Load(cli, $"conformance-{conformanceName}.out")
            : Load(cli, original);

    public static string? Type(JsonNode? line) => Json.Str(line, "type");
}
