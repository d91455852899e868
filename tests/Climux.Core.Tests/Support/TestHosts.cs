using System.Diagnostics;

namespace Climux.Core.Tests.Support;

/// <summary>Climux.TestHost (tests/Climux.TestHost) as other processes on the machine.</summary>
internal static class TestHosts
{
    /// <summary>Runs Climux.TestHost in separate processes at once; returns each one's standard output.</summary>
    public static IReadOnlyList<string> Run(int count, Func<int, string[]> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "Climux.TestHost.dll");
        var running = Enumerable.Range(0, count).Select(i =>
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "exec", host }.Concat(arguments(i)))
                start.ArgumentList.Add(a);
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
                start.Environment[name] = value;
            var process = Process.Start(start)!;
            return (Process: process, Output: process.StandardOutput.ReadToEndAsync(), Error: process.StandardError.ReadToEndAsync());
        }).ToList();

        var outputs = new List<string>();
        foreach (var (process, output, error) in running)
        {
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"a test host failed: {error.Result}");
            outputs.Add(output.Result + error.Result);
            process.Dispose();
        }
        return outputs;
    }
}
