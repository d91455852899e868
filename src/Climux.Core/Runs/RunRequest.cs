using Climux.Core.Config;
using Climux.Core.Sessions;

namespace Climux.Core.Runs;

/// <summary>A run as the user asked for it, before anything is checked or stored.</summary>
public sealed record RunRequest
{
    public required ClimuxConfig Config { get; init; }
    public required string Prompt { get; init; }
    /// <summary>The folder to run in.</summary>
    public required string Directory { get; init; }
    /// <summary>Null: the preset's provider, else the first routing rule that matches the prompt, else the config's defaultProvider.</summary>
    public string? Provider { get; init; }
    /// <summary>Null: the preset's mode, else Task.</summary>
    public RunMode? Mode { get; init; }
    /// <summary>Null: the preset's model, else providers.&lt;name&gt;.model.</summary>
    public string? Model { get; init; }
    /// <summary>A name under <c>presets:</c>: provider, mode, model, timeout, cost limit and arguments for what the request leaves unset.</summary>
    public string? Preset { get; init; }
    /// <summary>No fallback for this run: a provider that is missing or rate-limited ends it.</summary>
    public bool NoFallback { get; init; }
    /// <summary>Set by Climux on a fallback hop: the first session of the task.</summary>
    public string? FallbackOf { get; init; }
    /// <summary>Set by Climux on a fallback hop: the providers the task has tried, never tried again.</summary>
    public IReadOnlyList<string> TriedProviders { get; init; } = [];

    /// <summary>The mode the run has: <see cref="Mode"/>, else Task.</summary>
    public RunMode EffectiveMode => Mode ?? RunMode.Task;
    public string? Name { get; init; }
    /// <summary>The Climux worktree's name, when the run is in one.</summary>
    public string? Worktree { get; init; }
    /// <summary>Sessions that must complete first: ids, names or id prefixes (resolved when the run is queued).</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public RunOptions Options { get; init; } = new();
    /// <summary>Once the dependencies have completed, merge their worktrees' branches into this run's worktree (in DependsOn order) before the agent starts.</summary>
    public bool MergeDependencies { get; init; }
    /// <summary>With <see cref="MergeDependencies"/>: a conflict is resolved by the run's own agent, first, instead of failing the run.</summary>
    public bool ResolveConflicts { get; init; }
    /// <summary>The session to resume natively; the new run is linked to it as its child.</summary>
    public ClimuxSession? Resume { get; init; }

    /// <summary>
    /// A run that continues <paramref name="parent"/>'s conversation, in its folder and worktree. Mode and
    /// model default to the parent's, and so do its timeout and cost limit unless
    /// <paramref name="options"/> gives new ones; Unrestricted and Force are never taken over.
    /// </summary>
    public static RunRequest ResumeOf(ClimuxSession parent, ClimuxConfig config, string prompt, RunOptions options, RunMode? mode = null, string? model = null) => new()
    {
        Config = config,
        Prompt = prompt,
        Directory = parent.Directory,
        Mode = mode ?? parent.Mode,
        Model = model,
        Worktree = parent.Worktree,
        Options = parent.Options is { } kept
            ? options with { TimeoutSeconds = options.TimeoutSeconds ?? kept.TimeoutSeconds, MaxCost = options.MaxCost ?? kept.MaxCost }
            : options,
        Resume = parent,
    };
}

/// <summary>Why a run cannot be started; <see cref="Kind"/> says which rule it broke.</summary>
public sealed class RunRequestException(RunRequestProblem kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public RunRequestProblem Kind { get; } = kind;
}

public enum RunRequestProblem
{
    UnknownProvider,
    ProviderNotInstalled,
    DirectoryNotFound,
    CannotResume,
    InvalidOptions,
    /// <summary>-Preset names no preset of the config.</summary>
    UnknownPreset,
    /// <summary>A -DependsOn reference matches no session (or several).</summary>
    DependencyNotFound,
    /// <summary>The session to resume is still queued or running.</summary>
    SessionActive,
}
