using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>One invocation being answered: what the output writers need to fill the recordings in.</summary>
internal sealed class Run(Invocation invocation, Scenario scenario, string prompt, string? sessionId, int turn, LineWriter output)
{
    public const string FileContent = "hello from the mock model\n";
    private const int MaxQuotedChars = 200;

    public Invocation Invocation => invocation;
    public Scenario Scenario => scenario;
    public string Prompt => prompt;
    public string? SessionId => sessionId;
    public LineWriter Output => output;
    public string Cwd { get; } = Environment.CurrentDirectory;

    public string ReplyPrefix => $"MOCK_REPLY turn={turn}: you said ";
    public string ReplyQuote => $"\"{Shorten(prompt)}\"";
    public string Reply => ReplyPrefix + ReplyQuote;

    /// <summary>The relative name the tool call writes; null when the prompt asks for no tool call.</summary>
    public string? FileName => scenario.WriteFile;
    public string FilePath => Path.GetFullPath(FileName ?? Scenario.DefaultFileName, Cwd);

    /// <summary>Whether a tool call happens and the mode lets it write.</summary>
    public bool Writes => FileName is not null && invocation.CanWrite;

    public void CreateFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, FileContent);
    }

    /// <summary>[[spend:N]]: N usage-bearing events, one every 200 ms.</summary>
    public void Spend(Func<int, JsonNode> usageEvent)
    {
        for (var i = 1; i <= scenario.Spend; i++)
        {
            Thread.Sleep(200);
            output.Line(usageEvent(i));
        }
    }

    private static string Shorten(string text)
    {
        if (text.Length <= MaxQuotedChars)
            return text;
        var cut = char.IsHighSurrogate(text[MaxQuotedChars - 1]) ? MaxQuotedChars - 1 : MaxQuotedChars;
        return text[..cut] + "…";
    }
}
