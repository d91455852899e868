using System.Globalization;
using YamlDotNet.Serialization;

namespace Climux.Core.Config;

/// <summary>
/// A config value typed as text (on the <c>climux config set</c> command line, or as an MCP argument):
/// YAML flow syntax for lists and mappings (<c>[a, b]</c>, <c>{command: aider, args: [--yes]}</c>),
/// numbers, true/false and null as such, anything else as text.
/// </summary>
public static class ConfigValueText
{
    /// <exception cref="ConfigException">Text that starts a list or mapping but is not valid YAML.</exception>
    public static object? Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('[') || trimmed.StartsWith('{'))
        {
            try
            {
                return Plain(new DeserializerBuilder().Build().Deserialize<object?>(trimmed));
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new ConfigException(null, 0, 0, null, $"'{text}' is not a valid YAML list or mapping: {e.Message}", e);
            }
        }
        return Scalar(text);
    }

    private static object? Plain(object? value) => value switch
    {
        IDictionary<object, object?> mapping => mapping.ToDictionary(e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!, e => Plain(e.Value), StringComparer.Ordinal),
        IList<object?> list => list.Select(Plain).ToList(),
        string s => Scalar(s),
        _ => value,
    };

    private static object? Scalar(string text) => text switch
    {
        "null" or "~" => null,
        "true" or "True" => true,
        "false" or "False" => false,
        _ when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) => whole,
        _ when decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        _ => text,
    };
}
