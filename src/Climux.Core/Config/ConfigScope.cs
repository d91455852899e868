namespace Climux.Core.Config;

/// <summary>Where a setting comes from; a later scope overrides an earlier one key by key.</summary>
public enum ConfigScope
{
    Default,
    User,
    Project,
    /// <summary>The team's settings in a shared store: a ceiling for every machine.</summary>
    Store,
}

/// <summary>The file and position a setting was read from.</summary>
public sealed record ConfigSource(ConfigScope Scope, string? File, int Line, int Column)
{
    public static readonly ConfigSource Default = new(ConfigScope.Default, null, 0, 0);

    public override string ToString() => File is null ? Scope.ToString() : $"{File}:{Line}";
}

/// <summary>What the trust rules did to a project config: the values they ignored (as warnings) and why each key holds its value.</summary>
public sealed class ConfigTrustReport
{
    public List<string> Warnings { get; } = [];

    /// <summary>By dotted key (a leaf, or a section such as <c>pricing</c>): why its value is what it is.</summary>
    public Dictionary<string, string> Reasons { get; } = new(StringComparer.Ordinal);

    /// <summary>By dotted key: why the project's value was refused.</summary>
    public Dictionary<string, string> Refused { get; } = new(StringComparer.Ordinal);

    /// <summary>Why a project may not set <paramref name="key"/> (or a key inside it, or the section around it); null when it may.</summary>
    public string? RefusalFor(string key) =>
        Refused.FirstOrDefault(r => r.Key == key || key.StartsWith(r.Key + ".", StringComparison.Ordinal) || r.Key.StartsWith(key + ".", StringComparison.Ordinal)).Value;
}
