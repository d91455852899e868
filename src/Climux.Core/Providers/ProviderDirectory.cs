using Climux.Core.Config;
using Climux.Core.Store;

namespace Climux.Core.Providers;

/// <summary>The providers the config knows: the built-in CLIs and every declared command.</summary>
public sealed class ProviderDirectory(IClimuxStore store)
{
    public static readonly TimeSpan DefaultVersionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Names in display order: built-ins first, then declared commands.</summary>
    public static IReadOnlyList<string> Names(ClimuxConfig config) =>
        BuiltInProviders.All.Select(p => p.Name)
            .Concat(config.Providers.Where(p => BuiltInProviders.Find(p.Key) is null && p.Value.Command is not null)
                .Select(p => p.Key).Order(StringComparer.Ordinal))
            .ToList();

    /// <summary>Describes the named providers, probing their versions in parallel.</summary>
    /// <param name="baseDirectory">Where a relative command is looked for, as a run there would.</param>
    public async Task<IReadOnlyList<ClimuxProvider>> DescribeAsync(ClimuxConfig config, IEnumerable<string> names, TimeSpan timeout,
        bool refresh, string? baseDirectory = null, CancellationToken cancellation = default)
    {
        var probe = new ProviderVersionProbe(store);
        var tasks = names.Select(name => DescribeAsync(config, name, probe, timeout, refresh, baseDirectory, cancellation));
        return await Task.WhenAll(tasks);
    }

    private static async Task<ClimuxProvider> DescribeAsync(ClimuxConfig config, string name, ProviderVersionProbe probe,
        TimeSpan timeout, bool refresh, string? baseDirectory, CancellationToken cancellation)
    {
        var builtIn = BuiltInProviders.Find(name);
        var settings = config.ProviderSettings(name);
        var command = settings?.Command ?? builtIn?.Executable ?? name;
        var path = CommandResolver.Resolve(command, baseDirectory: baseDirectory);
        var answer = path is null ? null : await probe.GetAsync(builtIn?.Name ?? name, path, settings?.Env, timeout, refresh, cancellation);
        return new ClimuxProvider
        {
            Name = builtIn?.Name ?? name,
            Kind = builtIn is null ? ProviderKind.Command : ProviderKind.BuiltIn,
            Command = command,
            Installed = path is not null,
            Path = path,
            Version = answer?.Version,
            Note = path is null ? (settings?.Command is null ? "not found on PATH" : $"'{command}' not found") : answer?.Note,
            Model = settings?.Model,
            IsDefault = string.Equals(config.DefaultProvider, builtIn?.Name ?? name, StringComparison.OrdinalIgnoreCase),
            InstallCommand = builtIn?.InstallCommand,
        };
    }
}
