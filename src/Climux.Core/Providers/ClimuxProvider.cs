namespace Climux.Core.Providers;

public enum ProviderKind
{
    /// <summary>One of the agent CLIs Climux knows: claude-code, codex, gemini-cli, opencode, qwen-code.</summary>
    BuiltIn,
    /// <summary>Any executable declared under <c>providers:</c> in config.</summary>
    Command,
}

/// <summary>A provider as Get-ClimuxProvider shows it: whether its CLI is there, where, and which version.</summary>
public sealed class ClimuxProvider
{
    public required string Name { get; init; }
    public required ProviderKind Kind { get; init; }
    /// <summary>The command as configured (or the CLI's default name).</summary>
    public required string Command { get; init; }
    public required bool Installed { get; init; }
    /// <summary>The resolved executable; null when not installed.</summary>
    public string? Path { get; init; }
    public string? Version { get; init; }
    /// <summary>The model configured for it; null for the CLI's own default.</summary>
    public string? Model { get; init; }
    public bool IsDefault { get; init; }
    /// <summary>How to install it, for a built-in provider.</summary>
    public string? InstallCommand { get; init; }
    /// <summary>Why the version is unknown, when it is.</summary>
    public string? Note { get; init; }

    public override string ToString() => Installed ? $"{Name} {Version ?? "(version unknown)"}" : $"{Name} (not installed)";
}
