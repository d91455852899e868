using System.Text;
using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>
/// The conversations the fake remembers: <c>&lt;state&gt;/&lt;cli&gt;/&lt;id&gt;.json</c>, holding
/// <c>{"id":…,"prompts":[…]}</c>. The number of prompts is the turn number in the reply.
/// </summary>
internal sealed class SessionStore(string root, string cli)
{
    public static SessionStore FromEnvironment(string cli)
    {
        var root = Environment.GetEnvironmentVariable("FAKE_AGENT_STATE") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fake-agent-state");
        return new SessionStore(root, cli);
    }

    public bool Exists(string id) => IsFileName(id) && File.Exists(PathOf(id));

    /// <summary>Adds the prompt to the session, creating it if new; returns how many prompts it now holds.</summary>
    public int Append(string id, string prompt)
    {
        if (!IsFileName(id))
            throw new UsageException($"fake-agent: session id '{id}' cannot name a file", 1);
        Directory.CreateDirectory(Path.Combine(root, cli));
        return FileRetry.Run(() =>
        {
            // Held exclusively from read to write, so two resumes of one session both count.
            using var file = new FileStream(PathOf(id), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var state = file.Length > 0 ? JsonNode.Parse(file)!.AsObject() : new JsonObject { ["id"] = id, ["prompts"] = new JsonArray() };
            var prompts = state["prompts"]!.AsArray();
            prompts.Add(prompt);
            file.Position = 0;
            file.SetLength(0);
            file.Write(Encoding.UTF8.GetBytes(state.ToJsonString(Json.Options) + "\n"));
            return prompts.Count;
        });
    }

    private string PathOf(string id) => Path.Combine(root, cli, id + ".json");

    private static bool IsFileName(string id) =>
        id.Length > 0 && id is not ("." or "..") && id.IndexOfAny(Path.GetInvalidFileNameChars()) < 0
        && !id.Contains('/') && !id.Contains('\\');
}
