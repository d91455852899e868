namespace Climux.Core.Config;

/// <summary>
/// Team settings kept in a shared store (Set-ClimuxConfig -Scope Store): a YAML document like a
/// config file, holding only <c>concurrency.*</c>, <c>monitoring.*</c> and <c>pricing.*</c>. They are
/// a ceiling for every machine: a machine's own config may only lower a limit or the budget below
/// the team's. Team prices replace a machine's for the same model (the team pays one bill).
/// </summary>
public static class TeamConfig
{
    private static readonly string[] Sections = ["concurrency", "monitoring", "pricing"];

    /// <summary>The team document with <paramref name="key"/> set (or, for a null value with <paramref name="remove"/>, removed).</summary>
    /// <exception cref="ConfigException">The key is not a team setting, or the value does not fit it.</exception>
    public static string Edit(string? yaml, string key, object? value, bool remove = false)
    {
        var resolved = ConfigKeys.Resolve(key);
        if (!Sections.Contains(resolved.Segments[0], StringComparer.Ordinal))
            throw new ConfigException(null, 0, 0, key, "it is not a team setting: -Scope Store takes only concurrency.*, monitoring.* and pricing.* keys");
        // The file editor checks and writes exactly as for a config file; a scratch file carries the text.
        var scratch = Path.Combine(Path.GetTempPath(), $"climux-team-{Guid.NewGuid():N}.yaml");
        try
        {
            if (!string.IsNullOrEmpty(yaml))
                File.WriteAllText(scratch, yaml);
            if (remove)
                ConfigFileEditor.Remove(scratch, key);
            else
                ConfigFileEditor.Set(scratch, key, value);
            return File.Exists(scratch) ? File.ReadAllText(scratch) : "";
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    /// <summary>Lowers <paramref name="config"/>'s limits and budget to the team's, and takes the team's prices.</summary>
    /// <exception cref="ConfigException">The team document cannot be read.</exception>
    public static void ApplyCeiling(ClimuxConfig config, string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
            return;
        var team = ConfigLoader.Validate(yaml, "team settings (store)");
        // A key the team did not set holds its default, which is no ceiling.
        var set = ConfigLoader.Parse(yaml, null) is YamlDotNet.RepresentationModel.YamlMappingNode root ? root : new();
        bool Has(string section, string key) =>
            set.Children.TryGetValue(section, out var node) && node is YamlDotNet.RepresentationModel.YamlMappingNode mapping && mapping.Children.ContainsKey(key);

        if (Has("concurrency", "maxActiveSessions"))
            config.Concurrency.MaxActiveSessions = Math.Min(config.Concurrency.MaxActiveSessions, team.Concurrency.MaxActiveSessions);
        if (Has("concurrency", "maxSessionsPerWorkspace"))
            config.Concurrency.MaxSessionsPerWorkspace = Math.Min(config.Concurrency.MaxSessionsPerWorkspace, team.Concurrency.MaxSessionsPerWorkspace);
        if (Has("monitoring", "maxDailyBudget") && team.Monitoring.MaxDailyBudget != 0 &&
            (config.Monitoring.MaxDailyBudget == 0 || team.Monitoring.MaxDailyBudget < config.Monitoring.MaxDailyBudget))
            config.Monitoring.MaxDailyBudget = team.Monitoring.MaxDailyBudget;
        if (Has("monitoring", "alertThreshold"))
            config.Monitoring.AlertThreshold = Math.Min(config.Monitoring.AlertThreshold, team.Monitoring.AlertThreshold);
        if (Has("monitoring", "maxTranscriptMiB"))
            config.Monitoring.MaxTranscriptMiB = Math.Min(config.Monitoring.MaxTranscriptMiB, team.Monitoring.MaxTranscriptMiB);
        foreach (var (model, price) in team.Pricing)
            config.Pricing[model] = price;
    }
}
