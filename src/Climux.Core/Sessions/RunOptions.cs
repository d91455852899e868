namespace Climux.Core.Sessions;

/// <summary>
/// The run settings a session keeps (as JSON in the store). A resume keeps the time and cost
/// limits unless it is given new ones; Unrestricted and Force it never inherits.
/// </summary>
public sealed record RunOptions
{
    /// <summary>Seconds the agent may run; null for no limit.</summary>
    public int? TimeoutSeconds { get; init; }
    /// <summary>USD: the run is stopped (Failed) once its live cost passes this.</summary>
    public decimal? MaxCost { get; init; }
    public bool Unrestricted { get; init; }
    /// <summary>Start even though the daily budget is spent (and, with worktrees, beside another active run).</summary>
    public bool Force { get; init; }
}
