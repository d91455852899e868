using Climux.Core.Agents;
using Climux.Core.Config;

namespace Climux.Core.Providers;

/// <summary>
/// One agent CLI Climux drives without configuration, described in one place: its name, the
/// executables it goes by, how to install it, the output format it prints, and its adapter (the
/// task, plan and resume command lines, and the parser for that format).
/// </summary>
public sealed record BuiltInProvider(string Name, IReadOnlyList<string> Executables, string InstallCommand, ProviderOutput Output, AgentProvider Adapter)
{
    /// <summary>The CLI's usual executable name.</summary>
    public string Executable => Executables[0];

    /// <summary>An npm package, installed globally.</summary>
    public static string Npm(string package) => $"npm install -g {package}";
}

/// <summary>The registrations of the built-in providers: adding a CLI is one entry here and its adapter.</summary>
public static class BuiltInProviders
{
    public static readonly BuiltInProvider ClaudeCode = new("claude-code", ["claude"], BuiltInProvider.Npm("@anthropic-ai/claude-code"), ProviderOutput.ClaudeStreamJson, new ClaudeCodeProvider());
    public static readonly BuiltInProvider Codex = new("codex", ["codex"], BuiltInProvider.Npm("@openai/codex"), ProviderOutput.CodexJson, new CodexProvider());
    public static readonly BuiltInProvider GeminiCli = new("gemini-cli", ["gemini"], BuiltInProvider.Npm("@google/gemini-cli"), ProviderOutput.GeminiStreamJson, new GeminiCliProvider());
    public static readonly BuiltInProvider OpenCode = new("opencode", ["opencode"], BuiltInProvider.Npm("opencode-ai"), ProviderOutput.OpencodeJson, new OpenCodeProvider());
    public static readonly BuiltInProvider QwenCode = new("qwen-code", ["qwen"], BuiltInProvider.Npm("@qwen-code/qwen-code"), ProviderOutput.ClaudeStreamJson, new QwenCodeProvider());

    public static IReadOnlyList<BuiltInProvider> All { get; } = [ClaudeCode, Codex, GeminiCli, OpenCode, QwenCode];

    public static BuiltInProvider? Find(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
