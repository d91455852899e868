using System.Text;

namespace Climux.FakeAgent;

/// <summary>
/// [[rate-limit:cli,…]]: what each real CLI prints when its model API answers 429 (measured, see
/// shared/agent-clis.md), from recordings/&lt;cli&gt;/rate-limit.out and .err. Claude Code announces
/// each retry on stdout; Codex gives up at once; Gemini CLI stays quiet on stdout and prints a stack
/// trace per failed attempt on stderr. The real Claude Code and Gemini CLI retry for minutes: here
/// the retries come every 200 ms, and after the last one the CLI gives up.
/// </summary>
internal static class RateLimitOutput
{
    private const int RetryMs = 200;

    public static int Write(Run run)
    {
        switch (run.Invocation.Cli)
        {
            case "claude":
                foreach (var line in Recording.Latest("claude", "rate-limit", "rate-limit.out"))
                {
                    line["session_id"] = run.SessionId;
                    if (Recording.Type(line) == "system" && Json.Str(line, "subtype") == "api_retry")
                        Thread.Sleep(RetryMs);
                    run.Output.Line(line);
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
                var recorded = Path.Combine(AppContext.BaseDirectory, "recordings", "gemini", "conformance-rate-limit.err");
                var trace = File.ReadAllText(File.Exists(recorded) ? recorded : Path.Combine(AppContext.BaseDirectory, "recordings", "gemini", "rate-limit.err"));
                using (var stderr = Console.OpenStandardError())
                {
                    for (var attempt = 1; attempt <= 10; attempt++)
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
}
