using Climux.Core.Config;
using Climux.Core.Paths;
using Climux.Core.Sessions;

namespace Climux.Core.Runs;

/// <summary>A run as the user asked for it, before anything is checked or stored.</summary>
public sealed record RunRequest
{
    public required ClimuxHome Home { get; init; }
    public required ClimuxConfig Config { get; init; }
    public required string Prompt { get; init; }
    /// <summary>The folder to run in.</summary>
    public required string Directory { get; init; }
    /// <summary>Null: the config's defaultProvider.</summary>
    public string? Provider { get; init; }
    public RunMode Mode { get; init; } = RunMode.Task;
    public string? Model { get; init; }
    public string? Name { get; init; }
    /// <summary>The Climux worktree's name, when the run is in one.</summary>
    public string? Worktree { get; init; }
    /// <summary>Session ids (already resolved) that must complete first.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public RunOptions Options { get; init; } = new();
    /// <summary>The session to resume natively; the new run is linked to it as its child.</summary>
    public ClimuxSession? Resume { get; init; }
}

/// <summary>Why a run cannot be started; <see cref="Kind"/> says which rule it broke.</summary>
public sealed class RunRequestException(RunRequestProblem kind, string message) : Exception(message)
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
}
