using System.Text;
using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>
/// [[rate-limit:cli,…]]: what each real CLI prints when its model API answers 429, from
/// recordings/&lt;cli&gt;/conformance-rate-limit.out and .err (written by the conformance run against a
/// mock that answers 429), else the hand-made rate-limit.out and .err in the measured shapes. Claude
/// Code announces each retry on stdout; Codex gives up by itself; Gemini CLI prints its init and the
/// user's message on stdout, then a stack trace per failed attempt on stderr. The real Claude Code and
/// Gemini CLI retry for minutes: here a retry comes every 200 ms, up to ten, then the CLI gives up.
/// </summary>
internal static class RateLimitOutput
{
    private const int RetryMs = 200;
    private const int Retries = 10;

    public static int Write(Run run)
    {
        switch (run.Invocation.Cli)
        {
            case "claude":
                var lines = Recording.Latest("claude", "rate-limit", "rate-limit.out");
                JsonObject? lastRetry = null;
                foreach (var line in lines)
                {
                    line["session_id"] = run.SessionId;
                    if (IsRetry(line))
                    {
                        Thread.Sleep(RetryMs);
                        lastRetry = line;
                    }
                    run.Output.Line(line);
                }
                // A conformance recording ends where Climux stopped the CLI: go on as the CLI would.
                for (var attempt = (Json.Int(lastRetry, "attempt") ?? 0) + 1; lastRetry is not null && attempt <= Retries; attempt++)
                {
                    Thread.Sleep(RetryMs);
                    var next = lastRetry.DeepClone().AsObject();
                    next["attempt"] = attempt;
                    next["uuid"] = Ids.Uuid();
                    run.Output.Line(next);
                }
                Console.Error.WriteLine("API Error: 429 {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"rate limited\"}}");
                return 1;
            case "codex":
                foreach (var line in Recording.Latest("codex", "rate-limit", "rate-limit.out"))
                {
                    if (Recording.Type(line) == "thread.started")
                        line["thread_id"] = run.SessionId;
                    run.Output.Line(line);
                }
                return 1;
            case "gemini":
                foreach (var line in Recording.Latest("gemini", "rate-limit", "rate-limit.out"))
                {
                    if (Recording.Type(line) == "init")
                        line["session_id"] = run.SessionId;
                    run.Output.Line(line);
                }
                var trace = FirstTrace();
                using (var stderr = Console.OpenStandardError())
                {
                    for (var attempt = 1; attempt <= Retries; attempt++)
                    {
                        Thread.Sleep(RetryMs);
                        stderr.Write(Encoding.UTF8.GetBytes(trace.Replace("Attempt 1 ", $"Attempt {attempt} ", StringComparison.Ordinal)));
                        stderr.Flush();
                    }
                }
                return 1;
            default:
                Console.Error.WriteLine("429 Too Many Requests");
                return 1;
        }
    }

    private static bool IsRetry(JsonObject line) => Recording.Type(line) == "system" && Json.Str(line, "subtype") == "api_retry";

    /// <summary>Gemini CLI's first failed attempt on stderr: from "Attempt 1" to the end of the error that ends in "status: 429".</summary>
    private static string FirstTrace()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "recordings", "gemini");
        var recorded = Path.Combine(folder, "conformance-rate-limit.err");
        var lines = File.ReadAllLines(File.Exists(recorded) ? recorded : Path.Combine(folder, "rate-limit.err"));
        var start = Array.FindIndex(lines, l => l.StartsWith("Attempt ", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, Math.Max(start, 0), l => l.Contains("status: 429", StringComparison.Ordinal));
        if (start < 0 || end < 0)
            throw new InvalidOperationException("fake-agent: the gemini rate-limit recording holds no 429 trace");
        if (end + 1 < lines.Length && lines[end + 1] == "}")
            end++;
        return string.Join("\n", lines[start..(end + 1)]) + "\n";
    }
}
