using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

internal static class Ids
{
    private const string AlphanumericChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Hex(int length) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];

    public static string Alphanumeric(int length) => RandomNumberGenerator.GetString(AlphanumericChars, length);

    public static string Uuid() => Guid.NewGuid().ToString();

    public static long UnixMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static string IsoNow() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// Gives every id found in a recording a fresh one of the same shape (prefix kept), the same one
/// each time it recurs, so lines that shared an id still do.
/// </summary>
internal sealed class IdMap
{
    private readonly Dictionary<string, string> _fresh = new(StringComparer.Ordinal);

    public string this[string recorded] => _fresh.TryGetValue(recorded, out var id) ? id : _fresh[recorded] = Fresh(recorded);

    /// <summary>Replaces the string at <paramref name="key"/>, if there is one.</summary>
    public void Replace(JsonNode? parent, string key)
    {
        if (Json.Str(parent, key) is { } recorded)
            parent![key] = this[recorded];
    }

    private static string Fresh(string recorded)
    {
        var cut = recorded.LastIndexOf('_') + 1;
        var body = recorded[cut..];
        return recorded[..cut] + (body.All(char.IsAsciiHexDigitLower) ? Ids.Hex(body.Length) : Ids.Alphanumeric(body.Length));
    }
}
