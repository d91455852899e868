using System.Text;
using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>
/// <c>$FAKE_AGENT_LOG/invocations.jsonl</c>: one line when a fake agent starts, one when it ends, so
/// tests can see how Climux called it. Many fake agents append at once.
/// </summary>
internal sealed class InvocationLog(string? folder)
{
    public static InvocationLog FromEnvironment() =>
        new(Environment.GetEnvironmentVariable("FAKE_AGENT_LOG") is { Length: > 0 } folder ? folder : null);

    public void Start(string cli, string[] argv, string prompt, string? session) => Write(new JsonObject
    {
        ["event"] = "start",
        ["cli"] = cli,
        ["pid"] = Environment.ProcessId,
        ["at"] = Ids.UnixMs(),
        ["cwd"] = Environment.CurrentDirectory,
        ["argv"] = new JsonArray([.. argv.Select(a => (JsonNode?)a)]),
        ["prompt"] = prompt,
        ["session"] = session,
    });

    public void End(string cli, string? session, int exit) => Write(new JsonObject
    {
        ["event"] = "end",
        ["cli"] = cli,
        ["pid"] = Environment.ProcessId,
        ["at"] = Ids.UnixMs(),
        ["session"] = session,
        ["exit"] = exit,
    });

    /// <param name="detached">Its own parent has exited: it is no longer in the agent's process tree.</param>
    public void Child(int pid, bool detached = false) => Write(new JsonObject
    {
        ["event"] = "child", ["pid"] = pid, ["parent"] = Environment.ProcessId, ["detached"] = detached,
    });

    /// <summary>A command line refused before the run started (there is no start line then).</summary>
    public void Refused(string cli, string[] argv, string message, int exit) => Write(new JsonObject
    {
        ["event"] = "refused",
        ["cli"] = cli,
        ["pid"] = Environment.ProcessId,
        ["at"] = Ids.UnixMs(),
        ["cwd"] = Environment.CurrentDirectory,
        ["argv"] = new JsonArray([.. argv.Select(a => (JsonNode?)a)]),
        ["message"] = message,
        ["exit"] = exit,
    });

    private void Write(JsonObject entry)
    {
        if (folder is null)
            return;
        Directory.CreateDirectory(folder);
        var line = Encoding.UTF8.GetBytes(entry.ToJsonString(Json.Options) + "\n");
        // .NET writes at its own idea of the end of file rather than with O_APPEND, so concurrent
        // writers must not share the file: FileShare.None makes the others wait and retry.
        FileRetry.Run(() =>
        {
            using var file = new FileStream(Path.Combine(folder, "invocations.jsonl"), FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 1);
            file.Write(line);
            return 0;
        });
    }
}

internal static class FileRetry
{
    /// <summary>Runs a file operation again while another process holds the file (sharing violation).</summary>
    public static T Run<T>(Func<T> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return action();
            }
            catch (IOException e) when (attempt < 500 && e is not (FileNotFoundException or DirectoryNotFoundException))
            {
                Thread.Sleep(Random.Shared.Next(2, 12));
            }
        }
    }
}
