using System.Collections;
using System.Globalization;

namespace Climux.Core.Config;

/// <summary>One effective setting: its key, value, the scope and file it came from, and why that scope won.</summary>
public sealed class ClimuxConfigEntry(string key, object? value, ConfigScope scope, string? path, int line, string? reason = null)
{
    public const string Masked = "********";

    public string Key { get; } = key;
    public object? Value { get; } = value;
    public ConfigScope Scope { get; } = scope;
    /// <summary>The file that set it; null for a built-in default.</summary>
    public string? Path { get; } = path;
    public int Line { get; } = line;
    /// <summary>Why this scope's value is the one in effect, e.g. a project value ignored because it would raise a limit.</summary>
    public string Reason { get; } = reason ?? "";

    public string ValueText => Value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? "",
    };

    public override string ToString() => $"{Key} = {ValueText}";
}
