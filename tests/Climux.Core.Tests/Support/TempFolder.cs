using System.Diagnostics;
using Climux.Core.Paths;

namespace Climux.Core.Tests.Support;

/// <summary>A folder under the system temp folder, deleted afterwards; tests never touch ~/.climux.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "climux-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public ClimuxHome Home(string name = "home") => new(System.IO.Path.Combine(Path, name));

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string relativePath, string text)
    {
        var file = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Runs the git command line for test set-up.</summary>
public static class TestGit
{
    public static string Run(string directory, params string[] arguments) => Run(directory, new Dictionary<string, string>(), arguments);

    public static string Run(string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (exitCode, output, error) = Try(directory, environment, arguments);
        if (exitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
        return output.Trim();
    }

    /// <summary>Runs git and returns its exit code and output, whatever the exit code.</summary>
    public static (int ExitCode, string Output, string Error) Try(string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "Climux Test";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error);
    }

    /// <summary>A repository with one commit on <c>main</c>.</summary>
    public static string InitRepo(string path)
    {
        Directory.CreateDirectory(path);
        Run(path, "init", "-q", "-b", "main");
        Run(path, "config", "commit.gpgsign", "false");
        File.WriteAllText(System.IO.Path.Combine(path, "README.md"), "test\n");
        Run(path, "add", "-A");
        Run(path, "commit", "-q", "-m", "initial");
        return path;
    }
}
