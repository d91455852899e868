namespace Climux.Core.Config;

/// <summary>A config file that cannot be used: bad YAML, an unknown key or a value of the wrong type.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string? file, int line, int column, string? key, string problem, Exception? inner = null)
        : base(Format(file, line, column, key, problem), inner)
    {
        FilePath = file;
        Line = line;
        Column = column;
        Key = key;
        Problem = problem;
    }

    public string? FilePath { get; }
    public int Line { get; }
    public int Column { get; }
    /// <summary>The dotted key at fault, e.g. <c>concurrency.maxActiveSessions</c>; null when none could be named.</summary>
    public string? Key { get; }
    public string Problem { get; }

    private static string Format(string? file, int line, int column, string? key, string problem)
    {
        var where = file is null ? "Invalid config" : $"Invalid config file '{file}'";
        if (line > 0)
            where += $" at line {line}, column {column}";
        if (!string.IsNullOrEmpty(key))
            where += $", key '{key}'";
        return $"{where}: {problem}";
    }
}
