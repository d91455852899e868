using System.Diagnostics;

namespace Climux.Bench;

/// <summary>The benchmarks' repository: <c>files</c> small files in 100 folders, one commit on main; and the git command line.</summary>
internal static class BenchRepo
{
    public static string Create(string root, int files)
    {
        var repo = Path.Combine(root, "repo");
        var seed = Stopwatch.StartNew();
        Directory.CreateDirectory(repo);
        Git(repo, "init", "-q", "-b", "main");
        for (var i = 0; i < files; i++)
            File.WriteAllText(FilePath(repo, i), $"line one of {i}\nline two\nline three\n");
        Git(repo, "add", "-A");
        Commit(repo, "seed");
        Console.WriteLine($"repository of {files:N0} files made in {seed.Elapsed.TotalSeconds:0.0} s");
        return repo;
    }

    /// <summary>The path of file number <paramref name="i"/>.</summary>
    public static string FilePath(string repo, int i)
    {
        var folder = Path.Combine(repo, $"src{i % 100:000}");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"file{i:00000}.txt");
    }

    public static void Commit(string folder, string message) =>
        Git(folder, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", message);

    /// <summary>Runs git; returns its exit code. Exit codes other than those <paramref name="allowed"/> throw.</summary>
    public static int Git(string directory, params string[] arguments) => Git(directory, [0], arguments);

    public static int Git(string directory, int[] allowed, params string[] arguments) => Run(directory, allowed, null, arguments).ExitCode;

    /// <summary>Runs git with extra environment variables; returns its exit code and standard output.</summary>
    public static (int ExitCode, string Output) Run(string directory, int[] allowed, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (!allowed.Contains(process.ExitCode))
            throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error}");
        return (process.ExitCode, output.Trim());
    }
}
