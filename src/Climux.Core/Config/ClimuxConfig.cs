using System.ComponentModel.DataAnnotations;
using Climux.Core.Sessions;

namespace Climux.Core.Config;

// The typed model of config.yaml. Property names are the YAML keys in camelCase; the binder
// (YamlConfigBinder) rejects any key that has no property here, and [Range] bounds its values.

public sealed class ClimuxConfig
{
    /// <summary>Provider used when a run names none.</summary>
    public string DefaultProvider { get; set; } = "claude-code";

    public ConcurrencyConfig Concurrency { get; set; } = new();

    public MonitoringConfig Monitoring { get; set; } = new();

    /// <summary>Settings for the built-in providers, and any command declared as a provider of its own.</summary>
    public Dictionary<string, ProviderConfig> Providers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>USD per million tokens, by model name; overrides the built-in table.</summary>
    [UserOwned]
    public Dictionary<string, ModelPriceConfig> Pricing { get; set; } = new(StringComparer.Ordinal);

    public WorktreesConfig Worktrees { get; set; } = new();

    /// <summary>
    /// Rules that choose the provider of a run that names none, tried in order before
    /// <see cref="DefaultProvider"/>: the first whose pattern matches the prompt wins. A project's
    /// rules go ahead of the user's, and may name only providers the user's config knows.
    /// </summary>
    [ProjectPrepends]
    public List<RouteRule> Routing { get; set; } = [];

    /// <summary>Providers to go on with, in order, when a run's provider is not installed or hits its rate limit.</summary>
    [UserOwned]
    public List<string> FallbackOrder { get; set; } = [];

    public FallbackConfig Fallback { get; set; } = new();

    /// <summary>Named sets of run parameters: <c>Start-ClimuxRun -Preset &lt;name&gt;</c>.</summary>
    public Dictionary<string, PresetConfig> Presets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Workspace aliases: <c>-Workspace @name</c> means this folder.</summary>
    [UserOwned]
    public Dictionary<string, string> Workspaces { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public RetentionConfig Retention { get; set; } = new();

    /// <summary>Where sessions are kept: the embedded SQLite file unless a shared PostgreSQL is named.</summary>
    [UserScopeOnly]
    public StoreConfig Store { get; set; } = new();

    /// <summary>The settings of a provider, whatever the case of its name; null when the config has none.</summary>
    public ProviderConfig? ProviderSettings(string name) =>
        Providers.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}

public sealed class ConcurrencyConfig
{
    /// <summary>Running sessions allowed at once on this machine, across every process.</summary>
    [Range(1, 1000)]
    [ProjectMayLower]
    public int MaxActiveSessions { get; set; } = 5;

    /// <summary>Running sessions allowed at once in one repository (all its worktrees together).</summary>
    [Range(1, 1000)]
    [ProjectMayLower]
    public int MaxSessionsPerWorkspace { get; set; } = 3;
}

public sealed class StoreConfig
{
    /// <summary>
    /// An Npgsql connection string of a PostgreSQL that several machines share; empty for the
    /// embedded SQLite store. It holds no password: that comes from PGPASSWORD or a pgpass file.
    /// </summary>
    public string? Postgres { get; set; }

    /// <summary>Seconds a host's hold on its running sessions lasts without renewal (renewed every third of it).</summary>
    [Range(3, 3600)]
    public int LeaseSeconds { get; set; } = 30;
}

public sealed class MonitoringConfig
{
    /// <summary>USD per local day; 0 means no budget.</summary>
    [Range(0.0, 1_000_000.0)]
    [ProjectMayLower(ZeroMeansNone = true)]
    public decimal MaxDailyBudget { get; set; }

    /// <summary>Fraction of the budget at which runs start with a warning (0.8 = 80 %).</summary>
    [Range(0.0, 1.0)]
    [UserOwned]
    public double AlertThreshold { get; set; } = 0.8;

    /// <summary>MiB of transcript events stored per session; past it only the outcome is stored (the raw log keeps the output).</summary>
    [Range(1, 4096)]
    [UserOwned]
    public int MaxTranscriptMiB { get; set; } = 16;
}

/// <summary>A routing rule: runs whose prompt matches <see cref="Pattern"/> go to <see cref="Provider"/>.</summary>
public sealed class RouteRule
{
    /// <summary>A .NET regular expression, matched case-insensitively anywhere in the prompt.</summary>
    public string Pattern { get; set; } = "";

    public string Provider { get; set; } = "";

    public override string ToString() => $"{Pattern} -> {Provider}";
}

public sealed class FallbackConfig
{
    /// <summary>Rate-limit retries an agent may announce (Claude Code's api_retry events) before Climux stops it and falls back.</summary>
    [Range(0, 100)]
    [UserOwned]
    public int AfterRetries { get; set; } = 2;
}

/// <summary>Run parameters under one name; a parameter given to the run itself wins over the preset's.</summary>
public sealed class PresetConfig
{
    public string? Provider { get; set; }
    public RunMode? Mode { get; set; }
    public string? Model { get; set; }

    /// <summary>Seconds, as -Timeout.</summary>
    [Range(1, 4_294_967)]
    public int? Timeout { get; set; }

    /// <summary>USD, as -MaxCost.</summary>
    [Range(0.000001, 1_000_000.0)]
    public decimal? MaxCost { get; set; }

    /// <summary>Arguments added to the provider's command line for runs of this preset.</summary>
    [UserScopeOnly]
    public List<string>? Args { get; set; }
}

public sealed class RetentionConfig
{
    /// <summary>Finished sessions older than this many days are deleted (at most once a day); 0 keeps them all.</summary>
    [Range(0, 100_000)]
    [UserOwned]
    public int Days { get; set; }
}

public enum ProviderOutput
{
    /// <summary>Plain text: each line is a message, the last one the result.</summary>
    Text,
    /// <summary>One JSON object per line, in Climux's own small schema.</summary>
    Jsonl,
    /// <summary>Claude Code's stream-json (<c>claude-stream-json</c>), for forks of Claude Code.</summary>
    ClaudeStreamJson,
    /// <summary>Codex's <c>exec --json</c> events (<c>codex-json</c>).</summary>
    CodexJson,
    /// <summary>Gemini CLI's stream-json (<c>gemini-stream-json</c>), for forks such as Qwen Code.</summary>
    GeminiStreamJson,
    /// <summary>OpenCode's <c>run --format json</c> events (<c>opencode-json</c>).</summary>
    OpencodeJson,
}

/// <summary>
/// A key that only the user's own config may set: these choose which program runs, with which
/// arguments and environment, and a repository someone else wrote must not decide that.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class UserScopeOnlyAttribute : Attribute;

/// <summary>
/// A list a project config extends rather than replaces: the project's items go ahead of the user's.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ProjectPrependsAttribute : Attribute;

/// <summary>
/// A key that belongs to the user (machine limits, prices, where worktrees go): a project config
/// that sets it is not an error, but its value is ignored, with a warning.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class UserOwnedAttribute : Attribute;

/// <summary>
/// A limit a project config may lower but never raise: the effective value is the smaller of the
/// user's and the project's; a higher project value is ignored, with a warning.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ProjectMayLowerAttribute : Attribute
{
    /// <summary>0 means "no limit" (the daily budget): it is the highest value, not the lowest.</summary>
    public bool ZeroMeansNone { get; init; }

    /// <summary>Whether <paramref name="candidate"/> is a tighter limit than <paramref name="current"/>.</summary>
    public bool IsLower(decimal candidate, decimal current) =>
        ZeroMeansNone ? candidate != 0 && (current == 0 || candidate < current) : candidate < current;
}

public sealed class ProviderConfig
{
    /// <summary>The executable: a name looked up on PATH, or a path.</summary>
    [UserScopeOnly]
    public string? Command { get; set; }

    /// <summary>Model passed to the agent when a run names none.</summary>
    public string? Model { get; set; }

    /// <summary>Variables set for the agent process only; never stored or logged.</summary>
    [UserScopeOnly]
    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// For a built-in provider, arguments added to every run. For a command provider, its whole
    /// argument list; <c>{prompt}</c> and <c>{model}</c> are replaced, and without an argument that
    /// holds <c>{prompt}</c> the prompt goes to the command's standard input.
    /// </summary>
    [UserScopeOnly]
    public List<string>? Args { get; set; }

    /// <summary>Command providers: arguments for a Plan (read-only) run; without them a Plan run is refused.</summary>
    [UserScopeOnly]
    public List<string>? PlanArgs { get; set; }

    /// <summary>Command providers: arguments to resume; <c>{sessionId}</c> is the native session id.</summary>
    [UserScopeOnly]
    public List<string>? ResumeArgs { get; set; }

    /// <summary>Command providers: how to read the output.</summary>
    public ProviderOutput? Output { get; set; }
}

public sealed class ModelPriceConfig
{
    [Range(0.0, 1_000_000.0)] public decimal Input { get; set; }
    [Range(0.0, 1_000_000.0)] public decimal Output { get; set; }
    [Range(0.0, 1_000_000.0)] public decimal CacheRead { get; set; }
    [Range(0.0, 1_000_000.0)] public decimal CacheWrite { get; set; }
}

public sealed class WorktreesConfig
{
    /// <summary>Folder that holds the worktrees; default: <c>worktrees/</c> under CLIMUX_HOME.</summary>
    [UserOwned]
    public string? Root { get; set; }

    /// <summary>Untracked files copied from the main worktree into each new one.</summary>
    public List<string> Copy { get; set; } = [".env"];

    /// <summary>Warn on names outside feature-, bugfix-, refactor-, experiment-, hotfix-.</summary>
    public bool EnforceNaming { get; set; }
}
