namespace Climux.Core.Runs;

/// <summary>
/// Values that reach an agent's command line as arguments of their own: refused when a CLI could
/// misread them (a model read as a flag, split in two, or cut short), before anything is queued.
/// </summary>
internal static class RunInputs
{
    /// <param name="source">Where the model came from, for the message: <c>-Model</c> or <c>providers.&lt;name&gt;.model</c>.</param>
    /// <exception cref="RunRequestException">The model is empty, starts with '-' or holds whitespace or control characters.</exception>
    public static void CheckModel(string? model, string source)
    {
        if (model is null)
            return;
        var problem = model.Length == 0 ? "is empty"
            : model.StartsWith('-') ? "starts with '-', so the agent CLI would read it as an option"
            : model.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "holds whitespace or control characters, which no model name has"
            : null;
        if (problem is not null)
            throw new RunRequestException(RunRequestProblem.InvalidOptions, $"The model of {source} ('{Visible(model)}') {problem}.");
    }

    /// <exception cref="RunRequestException">The prompt holds a NUL character.</exception>
    public static void CheckPrompt(string prompt)
    {
        if (prompt.Contains('\0'))
            throw new RunRequestException(RunRequestProblem.InvalidOptions,
                $"The prompt holds a NUL character (at position {prompt.IndexOf('\0') + 1}): a program's arguments end at the first NUL, so the agent " +
                "would get only the text before it. Remove it (for example: $prompt -replace \"`0\", '').");
    }

    /// <summary>The text with control characters shown as \uXXXX, so a message never carries them to a terminal.</summary>
    private static string Visible(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
