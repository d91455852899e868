using System.Text.Json;
using System.Text.Json.Serialization;

namespace Climux.Core.Json;

/// <summary>The one place the JSON shapes are serialized: camelCase, indented, nulls kept (a field is always there).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SessionJson))]
[JsonSerializable(typeof(IReadOnlyList<SessionJson>))]
[JsonSerializable(typeof(SessionEventJson))]
[JsonSerializable(typeof(IReadOnlyList<SessionEventJson>))]
[JsonSerializable(typeof(StatusJson))]
[JsonSerializable(typeof(Climux.Core.Store.ClimuxStoreCopy))]
[JsonSerializable(typeof(IReadOnlyList<StatsRowJson>))]
[JsonSerializable(typeof(WorktreeJson))]
[JsonSerializable(typeof(IReadOnlyList<WorktreeJson>))]
[JsonSerializable(typeof(IReadOnlyList<WorktreeChangeJson>))]
[JsonSerializable(typeof(IReadOnlyList<ConflictJson>))]
[JsonSerializable(typeof(IReadOnlyList<MergeResultJson>))]
[JsonSerializable(typeof(IReadOnlyList<PublishResultJson>))]
[JsonSerializable(typeof(IReadOnlyList<ProviderJson>))]
[JsonSerializable(typeof(ConfigEntryJson))]
[JsonSerializable(typeof(IReadOnlyList<ConfigEntryJson>))]
[JsonSerializable(typeof(ErrorJson))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
public sealed partial class ClimuxJsonContext : JsonSerializerContext;

/// <summary>Serializes the JSON shapes with <see cref="ClimuxJsonContext"/> (no reflection, so start-up stays quick).</summary>
public static class ClimuxJson
{
    public static string Serialize<T>(T value) =>
        JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)ClimuxJsonContext.Default.GetTypeInfo(typeof(T))!);

    /// <summary>On one line (a line-based protocol, one document per line with <c>status --watch --json</c>).</summary>
    public static string SerializeCompact<T>(T value) => JsonSerializer.Serialize(value, Compact.GetTypeInfo(typeof(T)));

    public static T? Deserialize<T>(string json) =>
        JsonSerializer.Deserialize(json, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)ClimuxJsonContext.Default.GetTypeInfo(typeof(T))!);

    private static readonly JsonSerializerOptions Compact = new(ClimuxJsonContext.Default.Options) { WriteIndented = false };

    /// <summary>The options of the shapes, for a caller that serializes them itself (the MCP server's structured content).</summary>
    public static JsonSerializerOptions Options => ClimuxJsonContext.Default.Options;
}
