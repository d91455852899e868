using Climux.Core.Config;
using Climux.Core.Engine;
using Climux.Core.Json;
using Climux.Core.Paths;
using Climux.Core.Workspaces;

namespace Climux.Cli;

/// <summary>
/// Where one <c>climux</c> invocation runs and writes: its folder, its Climux home, its engine and
/// config (opened on first use, once), stdout for data and stderr for everything else.
/// Tests make one over string writers and a temporary home.
/// </summary>
public sealed class CliContext(TextWriter output, TextWriter error, string currentDirectory, Func<ClimuxHome> home,
    bool errorIsTerminal = false, bool outputIsTerminal = false, bool color = false) : IAsyncDisposable
{
    private ClimuxHome? _home;
    private ClimuxEngine? _engine;
    private LoadedConfig? _config;
    private (string? Root, bool Found) _workspace;

    /// <summary>The process's own console; color only on a terminal and without NO_COLOR (https://no-color.org).</summary>
    public static CliContext ForConsole()
    {
        var directory = Environment.CurrentDirectory;
        return new CliContext(Console.Out, Console.Error, directory, () => ClimuxHome.FromEnvironment(directory),
            errorIsTerminal: !Console.IsErrorRedirected, outputIsTerminal: !Console.IsOutputRedirected,
            color: UseColor(Environment.GetEnvironmentVariable("NO_COLOR"), Console.IsErrorRedirected))
        {
            SelfCommand = SelfCommandLine(),
        };
    }

    /// <summary>Colors on stderr: only on a terminal, and not when NO_COLOR is set to anything but empty.</summary>
    public static bool UseColor(string? noColor, bool errorRedirected) => string.IsNullOrEmpty(noColor) && !errorRedirected;

    /// <summary>How to start this program again: its apphost, or <c>dotnet climux.dll</c>.</summary>
    private static IReadOnlyList<string> SelfCommandLine()
    {
        var process = Environment.ProcessPath ?? "climux";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, typeof(CliContext).Assembly.Location]
            : [process];
    }

    /// <summary>The command line that starts this program again (for <c>run --background</c>'s detached process).</summary>
    public IReadOnlyList<string> SelfCommand { get; init; } = [];

    /// <summary>The arguments this invocation was given (set by <see cref="CliApp.RunAsync"/>).</summary>
    public IReadOnlyList<string> Arguments { get; set; } = [];

    /// <summary>Data: JSON documents, tables, names. Nothing else goes here.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Human text: progress, live events, warnings, errors.</summary>
    public TextWriter Error { get; } = error;

    public string CurrentDirectory { get; } = currentDirectory;

    /// <summary>stderr is a terminal: the live view of a run is shown.</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    /// <summary>stdout is a terminal: <c>status --watch</c> redraws in place.</summary>
    public bool OutputIsTerminal { get; } = outputIsTerminal;

    /// <summary>ANSI colors on stderr (a terminal, and NO_COLOR unset).</summary>
    public bool Color { get; } = color;

    public ClimuxHome Home
    {
        get
        {
            if (_home is null)
            {
                _home = home();
                if (_home.PermissionWarning() is { } warning)
                    Warn(warning);
            }
            return _home;
        }
    }

    /// <summary>The engine of <see cref="Home"/>, opened on first use and closed with this context.</summary>
    public ClimuxEngine Engine => _engine ??= ClimuxEngine.Open(Home);

    /// <summary>The repository (main worktree) the current folder belongs to; null outside git.</summary>
    public string? WorkspaceRoot
    {
        get
        {
            if (!_workspace.Found)
                _workspace = (WorkspaceLocator.FindWorkspaceRoot(CurrentDirectory), true);
            return _workspace.Root;
        }
    }

    /// <summary>The user's and the project's config, read once (<see cref="ForgetConfig"/> after changing it); trust warnings go to stderr.</summary>
    public LoadedConfig LoadedConfig
    {
        get
        {
            if (_config is null)
            {
                _config = Engine.LoadConfig(WorkspaceRoot);
                foreach (var warning in _config.Warnings)
                    Warn(warning);
            }
            return _config;
        }
    }

    public ClimuxConfig Config => LoadedConfig.Config;

    public void ForgetConfig() => _config = null;

    /// <summary>Resolves a path the user typed against the current folder.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, CurrentDirectory);

    public void Warn(string message) => Error.WriteLine(Paint("warning:", Ansi.Yellow) + " " + message);

    public void Info(string message) => Error.WriteLine(message);

    /// <summary>One JSON document on stdout.</summary>
    public void WriteJson<T>(T value) => Out.WriteLine(ClimuxJson.Serialize(value));

    /// <summary><paramref name="text"/> in an ANSI color when <see cref="Color"/> is on.</summary>
    public string Paint(string text, string color) => Color ? color + text + Ansi.Reset : text;

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
            await _engine.DisposeAsync().ConfigureAwait(false);
        await Out.FlushAsync().ConfigureAwait(false);
        await Error.FlushAsync().ConfigureAwait(false);
    }
}

/// <summary>The few ANSI colors the command uses.</summary>
public static class Ansi
{
    public const string Reset = "\e[0m";
    public const string Red = "\e[31m";
    public const string Green = "\e[32m";
    public const string Yellow = "\e[33m";
    public const string Dim = "\e[2m";
}
