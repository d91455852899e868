using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Climux.Core.Store;

namespace Climux.Core.Providers;

/// <summary>
/// Asks an executable for <c>--version</c>, with a time limit so a broken binary cannot hang the
/// caller. Answers are cached in the store until the file changes (size or modification time).
/// </summary>
public sealed partial class ProviderVersionProbe(IClimuxStore store)
{
    /// <param name="provider">Part of the cache key: one executable may serve several providers.</param>
    /// <param name="environment">The provider's own variables, which the CLI may need to answer.</param>
    public async Task<ProviderVersion> GetAsync(string provider, string path, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout,
        bool refresh, CancellationToken cancellation = default)
    {
        var file = new FileInfo(path);
        var stamp = (Time: file.LastWriteTimeUtc.Ticks, Size: file.Length);
        var key = $"{provider}|{path}";
        if (!refresh && store.CachedVersion(key, stamp.Time, stamp.Size) is { } cached)
            return cached;
        var answer = await RunAsync(path, environment, timeout, cancellation);
        store.CacheVersion(key, stamp.Time, stamp.Size, answer);
        return answer;
    }

    private static async Task<ProviderVersion> RunAsync(string path, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, CancellationToken cancellation)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            var result = await Cli.Wrap(path)
                .WithArguments(["--version"])
                .WithEnvironmentVariables((environment ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key, kv => (string?)kv.Value))
                .WithStandardInputPipe(PipeSource.Null)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(limit.Token);
            var output = result.StandardOutput.Trim().Length > 0 ? result.StandardOutput : result.StandardError;
            var version = ParseVersion(output);
            if (result.ExitCode != 0)
                return new ProviderVersion(version, $"'--version' exited with code {result.ExitCode}");
            return new ProviderVersion(version, version is null ? "'--version' printed no version" : null);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return new ProviderVersion(null, $"'--version' did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or CliWrap.Exceptions.CliWrapException)
        {
            return new ProviderVersion(null, $"could not run: {e.Message}");
        }
    }

    /// <summary>The first version number in the output ("2.1.197 (Claude Code)" → "2.1.197").</summary>
    public static string? ParseVersion(string output)
    {
        var match = VersionPattern().Match(output);
        return match.Success ? match.Value.TrimStart('v') : null;
    }

    [GeneratedRegex(@"v?\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.-]+)?")]
    private static partial Regex VersionPattern();
}

/// <summary>What an executable said to <c>--version</c>: the version, or why there is none.</summary>
public sealed record ProviderVersion(string? Version, string? Note);
