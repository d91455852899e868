namespace Climux.Core.Config;

/// <summary>Where a setting comes from; a later scope overrides an earlier one key by key.</summary>
public enum ConfigScope
{
    Default,
    User,
    Project,
}

/// <summary>The file and position a setting was read from.</summary>
public sealed record ConfigSource(ConfigScope Scope, string? File, int Line, int Column)
{
    public static readonly ConfigSource Default = new(ConfigScope.Default, null, 0, 0);

    public override string ToString() => File is null ? Scope.ToString() : $"{File}:{Line}";
}
