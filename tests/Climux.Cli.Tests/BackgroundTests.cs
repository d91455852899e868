using System.Diagnostics;
using System.Text.Json;
using Climux.Cli.Tests.Support;

namespace Climux.Cli.Tests;

/// <summary><c>run --background</c> as the real executable: it returns once queued and the run goes on in a detached process.</summary>
public sealed class BackgroundTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void A_background_run_returns_at_once_and_completes_in_its_own_session_process()
    {
        var watch = Stopwatch.StartNew();
        var started = _cli.RunProcess("run", "slowly [[slow:300]]", "--background", "--json");
        var returnedAfter = watch.Elapsed;

        Assert.True(started.ExitCode == 0, started.ToString());
        var session = JsonDocument.Parse(started.Out).RootElement;
        var id = session.GetProperty("sessionId").GetString()!;
        Assert.Contains(session.GetProperty("status").GetString(), new[] { "Queued", "Running" });

        var waited = _cli.RunProcess("session", "wait", id, "--timeout", "120", "--json");
        Assert.True(waited.ExitCode == 0, waited.ToString());
        var finished = JsonDocument.Parse(waited.Out).RootElement[0];
        Assert.Equal("Completed", finished.GetProperty("status").GetString());
        // The host is the detached process, not the one that returned.
        Assert.True(returnedAfter < TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void A_background_run_that_cannot_be_queued_gives_its_error_and_exit_code()
    {
        var result = _cli.RunProcess("run", "x", "--provider", "no-such-agent", "--background");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("ClimuxProviderNotFound", result.Error);
        Assert.Equal("", result.Out);
    }
}
