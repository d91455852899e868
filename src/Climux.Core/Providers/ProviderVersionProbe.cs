using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Climux.Core.Store;
using Microsoft.Data.Sqlite;

namespace Climux.Core.Providers;

/// <summary>
/// Asks an executable for <c>--version</c>, with a time limit so a broken binary cannot hang the
/// caller. Answers are cached in the store until the file changes (size or modification time).
/// </summary>
public sealed partial class ProviderVersionProbe(ClimuxStore store)
{
    public sealed record Answer(string? Version, string? Note);

    /// <param name="provider">Part of the cache key: one executable may serve several providers.</param>
    /// <param name="environment">The provider's own variables, which the CLI may need to answer.</param>
    public async Task<Answer> GetAsync(string provider, string path, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout,
        bool refresh, CancellationToken cancellation = default)
    {
        var file = new FileInfo(path);
        var stamp = (Time: file.LastWriteTimeUtc.Ticks, Size: file.Length);
        var key = $"{provider}|{path}";
        if (!refresh && ReadCache(key, stamp) is { } cached)
            return cached;
        var answer = await RunAsync(path, environment, timeout, cancellation);
        WriteCache(key, stamp, answer);
        return answer;
    }

    private static async Task<Answer> RunAsync(string path, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, CancellationToken cancellation)
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
                return new Answer(version, $"'--version' exited with code {result.ExitCode}");
            return new Answer(version, version is null ? "'--version' printed no version" : null);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return new Answer(null, $"'--version' did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or CliWrap.Exceptions.CliWrapException)
        {
            return new Answer(null, $"could not run: {e.Message}");
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

    private Answer? ReadCache(string path, (long Time, long Size) stamp) => store.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, note FROM provider_cache WHERE path = $path AND file_time = $time AND file_size = $size";
        command.Parameters.AddWithValue("$path", path);
        command.Parameters.AddWithValue("$time", stamp.Time);
        command.Parameters.AddWithValue("$size", stamp.Size);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new Answer(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : null;
    });

    private void WriteCache(string path, (long Time, long Size) stamp, Answer answer)
    {
        using var connection = store.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO provider_cache (path, file_time, file_size, version, note, checked_at)
            VALUES ($path, $time, $size, $version, $note, $now)
            ON CONFLICT(path) DO UPDATE SET file_time = excluded.file_time, file_size = excluded.file_size,
                version = excluded.version, note = excluded.note, checked_at = excluded.checked_at
            """;
        command.Parameters.AddWithValue("$path", path);
        command.Parameters.AddWithValue("$time", stamp.Time);
        command.Parameters.AddWithValue("$size", stamp.Size);
        command.Parameters.AddWithValue("$version", (object?)answer.Version ?? DBNull.Value);
        command.Parameters.AddWithValue("$note", (object?)answer.Note ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }
}
