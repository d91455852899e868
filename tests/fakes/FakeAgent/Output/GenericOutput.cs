using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>The generic command provider's two formats: plain text, and Climux's own JSON lines.</summary>
internal static class GenericOutput
{
    /// <summary>[[escapes]]: a window title (OSC), a screen clear, colours, a carriage return, a backspace, a bell, NUL and an 8-bit CSI.</summary>
    public const string Escapes = "\u001b]0;pwned title\u0007\u001b[2J\u001b[H\u001b[31mred\u001b[0m text\rover\bwritten\u0007\u0000\u009b31mend\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\";

    public static int Text(Run run)
    {
        if (run.Scenario.Escapes)
            run.Output.Line(Escapes);
        if (run.FileName is not null)
            run.CreateFile();
        if (run.Scenario.Error)
        {
            Console.Error.WriteLine("mock failure");
            return 3;
        }
        run.Output.Line(run.Reply);
        return 0;
    }

    public static int Jsonl(Run run)
    {
        run.Output.Line(new JsonObject { ["type"] = "session", ["id"] = run.SessionId, ["model"] = "mock-model" });
        if (run.FileName is not null)
        {
            run.Output.Line(new JsonObject { ["type"] = "tool_call", ["tool"] = "write", ["input"] = new JsonObject { ["file_path"] = run.FileName, ["content"] = Run.FileContent } });
            run.CreateFile();
            run.Output.Line(new JsonObject { ["type"] = "tool_result", ["tool"] = "write", ["output"] = $"wrote {run.FileName}" });
        }
        if (run.Scenario.Escapes)
            run.Output.Line(new JsonObject { ["type"] = "message", ["role"] = "assistant", ["text"] = Escapes });
        run.Output.Line(new JsonObject { ["type"] = "message", ["role"] = "assistant", ["text"] = run.Reply });
        run.Spend(_ => Usage(1_000_000, 100_000, 7.5));
        if (run.Scenario.HostileNumbers)
        {
            run.Output.Line(Usage(-1000, 5, -100));
            run.Output.Line(Usage(10, long.MaxValue, 0));
            run.Output.Line(Usage(10, long.MaxValue, 0));
            run.Output.Line(Usage(1, 1, 1e300));
        }
        run.Output.Line(Usage(100, 20, 0.001));
        if (run.Scenario.Error)
        {
            run.Output.Line(new JsonObject { ["type"] = "result", ["is_error"] = true, ["error"] = "mock failure" });
            return 1;
        }
        run.Output.Line(new JsonObject { ["type"] = "result", ["text"] = run.Scenario.Escapes ? Escapes + run.Reply : run.Reply, ["is_error"] = false });
        return 0;
    }

    private static JsonObject Usage(long input, long output, double cost) => new()
    {
        ["type"] = "usage",
        ["model"] = "mock-model",
        ["input_tokens"] = input,
        ["output_tokens"] = output,
        ["cache_read_tokens"] = 0,
        ["cache_write_tokens"] = 0,
        ["cost_usd"] = cost,
    };
}
