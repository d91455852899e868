using Climux.Core.Config;
using Climux.Core.Runs;

namespace Climux.Core.Routing;

/// <summary><c>presets:</c>, named sets of run parameters.</summary>
public static class Presets
{
    /// <summary>The preset called <paramref name="name"/> (any case); null when <paramref name="name"/> is null.</summary>
    /// <exception cref="RunRequestException">No preset of that name (<see cref="RunRequestProblem.UnknownPreset"/>).</exception>
    public static PresetConfig? Find(ClimuxConfig config, string? name)
    {
        if (name is null)
            return null;
        var presets = config.Presets;
        return presets.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value
            ?? throw new RunRequestException(RunRequestProblem.UnknownPreset, presets.Count == 0
                ? $"No preset '{name}': the config has no presets. Declare one under presets: in config.yaml, e.g. presets: {{ review: {{ provider: codex, mode: Plan }} }}."
                : $"No preset '{name}'. Known: {string.Join(", ", Names(config))}.");
    }

    public static IReadOnlyList<string> Names(ClimuxConfig config) => [.. config.Presets.Keys.Order(StringComparer.OrdinalIgnoreCase)];
}
