namespace Climux.Core.Providers;

/// <summary>An agent CLI that Climux knows how to drive without configuration.</summary>
public sealed record BuiltInProvider(string Name, string Executable, string NpmPackage)
{
    public string InstallCommand => $"npm install -g {NpmPackage}";
}

public static class BuiltInProviders
{
    public static readonly BuiltInProvider ClaudeCode = new("claude-code", "claude", "@anthropic-ai/claude-code");
    public static readonly BuiltInProvider Codex = new("codex", "codex", "@openai/codex");
    public static readonly BuiltInProvider GeminiCli = new("gemini-cli", "gemini", "@google/gemini-cli");
    public static readonly BuiltInProvider OpenCode = new("opencode", "opencode", "opencode-ai");

    public static IReadOnlyList<BuiltInProvider> All { get; } = [ClaudeCode, Codex, GeminiCli, OpenCode];

    public static BuiltInProvider? Find(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
