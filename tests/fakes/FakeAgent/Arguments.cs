namespace Climux.FakeAgent;

/// <summary>
/// Parses exactly the options Climux passes to each CLI. Anything else is refused (exit 2), so a
/// mistake in Climux's argument building fails the test instead of passing unnoticed.
/// </summary>
internal static class Arguments
{
    public static Invocation Parse(string cli, string[] args) => cli switch
    {
        "claude" => Claude(args),
        "codex" => Codex(args),
        "gemini" => Gemini(args),
        "opencode" => OpenCode(args),
        _ => Generic(cli, args),
    };

    private static Invocation Claude(string[] args)
    {
        var a = new ArgCursor(args, 0);
        bool print = false, verbose = false;
        string? format = null, resume = null, preset = null, model = null;
        var mode = "default";
        int? maxTurns = null;
        var positional = new List<string>();
        while (a.Next() is { } arg)
        {
            if (!a.IsOption(arg))
            {
                positional.Add(arg);
                continue;
            }
            switch (arg)
            {
                case "-p": print = true; break;
                case "--verbose": verbose = true; break;
                case "--output-format": format = a.Value(arg); break;
                case "--resume": resume = a.Value(arg); break;
                case "--session-id": preset = a.Value(arg); break;
                case "--model": model = a.Value(arg); break;
                case "--permission-mode": mode = a.Value(arg); break;
                case "--max-turns": maxTurns = PositiveNumber(arg, a.Value(arg)); break;
                default: throw Unknown(arg);
            }
        }
        if (!print)
            throw new UsageException("fake-agent (claude): only -p (print mode) is supported", 2);
        if (format != "stream-json")
            throw new UsageException("fake-agent (claude): only --output-format stream-json is supported", 2);
        if (!verbose)
            throw new UsageException("Error: When using --print, --output-format=stream-json requires --verbose", 1);
        if (mode is not ("acceptEdits" or "plan" or "bypassPermissions" or "default"))
            throw new UsageException($"error: option '--permission-mode <mode>' argument '{mode}' is invalid. Allowed choices are acceptEdits, bypassPermissions, default, plan.", 1);
        if (preset is not null && resume is not null)
            throw new UsageException("Error: --session-id can only be used with --continue or --resume if --fork-session is also specified.", 1);
        if (preset is not null && !Guid.TryParse(preset, out _))
            throw new UsageException("Error: Invalid session ID. Must be a valid UUID.", 1);
        return new Invocation
        {
            Cli = "claude",
            PromptArgument = SinglePositional(positional),
            ResumeId = resume,
            PresetId = preset,
            Model = model,
            PermissionMode = mode,
            CanWrite = mode is "acceptEdits" or "bypassPermissions",
            MaxTurns = maxTurns,
        };
    }

    private static Invocation Codex(string[] args)
    {
        if (args.Length == 0 || args[0] != "exec")
            throw new UsageException("fake-agent (codex): only 'codex exec' is supported", 2);
        var resuming = args.Length > 1 && args[1] == "resume";
        var a = new ArgCursor(args, resuming ? 2 : 1);
        bool json = false, bypass = false, skipGitCheck = false;
        string? sandbox = null, model = null;
        var positional = new List<string>();
        while (a.Next() is { } arg)
        {
            if (!a.IsOption(arg))
            {
                positional.Add(arg);
                continue;
            }
            switch (arg)
            {
                case "--json": json = true; break;
                case "--sandbox" when !resuming: sandbox = SandboxMode(a.Value(arg)); break;
                case "-c": sandbox = ConfigOverride(a.Value(arg)) ?? sandbox; break;
                case "--dangerously-bypass-approvals-and-sandbox": bypass = true; break;
                case "--skip-git-repo-check": skipGitCheck = true; break;
                case "-m": model = a.Value(arg); break;
                default: throw Unknown(arg);
            }
        }
        if (!json)
            throw new UsageException("fake-agent (codex): only 'exec --json' is supported", 2);
        string? thread = null;
        if (resuming)
        {
            if (positional.Count == 0)
                throw new UsageException("error: 'codex exec resume' needs a thread id (fake-agent does not support --last)", 2);
            thread = positional[0];
            positional.RemoveAt(0);
        }
        if (!skipGitCheck && !InsideGitRepository(Environment.CurrentDirectory))
            throw new UsageException("Not inside a trusted directory and --skip-git-repo-check was not specified.", 1);
        var prompt = SinglePositional(positional);
        sandbox ??= "read-only";
        return new Invocation
        {
            Cli = "codex",
            PromptArgument = prompt == "-" ? null : prompt,
            ResumeId = thread,
            Model = model,
            Bypass = bypass || sandbox == "danger-full-access",
            CanWrite = bypass || sandbox is "workspace-write" or "danger-full-access",
        };
    }

    private static Invocation Gemini(string[] args)
    {
        var a = new ArgCursor(args, 0);
        string? format = null, resume = null, preset = null, model = null, prompt = null;
        var approval = "default";
        var positional = new List<string>();
        while (a.Next() is { } arg)
        {
            // "--prompt=<text>": the text may itself start with "-".
            if (a.IsOption(arg) && arg.StartsWith("--prompt=", StringComparison.Ordinal))
            {
                prompt = arg["--prompt=".Length..];
                continue;
            }
            if (!a.IsOption(arg))
            {
                positional.Add(arg);
                continue;
            }
            switch (arg)
            {
                case "--output-format": format = a.Value(arg); break;
                case "--resume": resume = a.Value(arg); break;
                case "--session-id": preset = a.Value(arg); break;
                case "-m": model = a.Value(arg); break;
                case "--approval-mode": approval = a.Value(arg); break;
                case "--skip-trust": break;
                default: throw Unknown(arg);
            }
        }
        if (positional.Count > 0)
            throw new UsageException($"unexpected argument: {positional[0]} (fake-agent (gemini) takes the prompt from --prompt=<text> or stdin)", 2);
        if (format != "stream-json")
            throw new UsageException("fake-agent (gemini): only --output-format stream-json is supported", 2);
        if (approval is not ("default" or "auto_edit" or "yolo"))
            throw new UsageException($"Invalid values:\n  Argument: approval-mode, Given: \"{approval}\", Choices: \"default\", \"auto_edit\", \"yolo\"", 1);
        if (preset is not null && resume is not null)
            throw new UsageException("fake-agent (gemini): --session-id and --resume cannot be combined", 1);
        return new Invocation
        {
            Cli = "gemini",
            PromptArgument = prompt,
            ResumeId = resume,
            PresetId = preset,
            Model = model,
            CanWrite = approval is "auto_edit" or "yolo",
        };
    }

    private static Invocation OpenCode(string[] args)
    {
        if (args.Length == 0 || args[0] != "run")
            throw new UsageException("fake-agent (opencode): only 'opencode run' is supported", 2);
        var a = new ArgCursor(args, 1);
        string? format = null, session = null, model = null;
        var agent = "build";
        var words = new List<string>();
        while (a.Next() is { } arg)
        {
            if (!a.IsOption(arg))
            {
                words.Add(arg);
                continue;
            }
            switch (arg)
            {
                case "--format": format = a.Value(arg); break;
                case "-s": session = a.Value(arg); break;
                case "-m": model = a.Value(arg); break;
                case "--agent": agent = a.Value(arg); break;
                default: throw Unknown(arg);
            }
        }
        if (format != "json")
            throw new UsageException("fake-agent (opencode): only --format json is supported", 2);
        if (model is not null && !model.Contains('/', StringComparison.Ordinal))
            throw new UsageException($"Error: model '{model}' must be given as provider/model", 1);
        if (agent is not ("build" or "plan"))
            throw new UsageException($"Error: agent '{agent}' not found", 1);
        return new Invocation
        {
            Cli = "opencode",
            PromptArgument = words.Count > 0 ? string.Join(' ', words) : null,
            ResumeId = session,
            Model = model,
            CanWrite = agent == "build",
        };
    }

    /// <summary>text and jsonl take any arguments; only two of them mean something.</summary>
    private static Invocation Generic(string cli, string[] args)
    {
        string? prompt = null, resume = null;
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--prompt-arg")
                prompt = args[++i];
            else if (args[i] == "--resume-id" && cli == "jsonl")
                resume = args[++i];
        }
        return new Invocation { Cli = cli, PromptArgument = prompt, ResumeId = resume, CanWrite = true };
    }

    private static string? SinglePositional(List<string> positional) => positional.Count switch
    {
        0 => null,
        1 => positional[0],
        _ => throw new UsageException($"unexpected argument: {positional[1]}", 2),
    };

    private static UsageException Unknown(string option) => new($"unknown option: {option}", 2);

    private static int PositiveNumber(string option, string value) =>
        int.TryParse(value, out var n) && n > 0 ? n : throw new UsageException($"error: option '{option}' needs a positive number, got '{value}'", 1);

    private static string SandboxMode(string value) =>
        value is "read-only" or "workspace-write" or "danger-full-access"
            ? value
            : throw new UsageException($"error: invalid value '{value}' for '--sandbox <SANDBOX_MODE>'", 2);

    /// <summary>A <c>-c key=value</c> override; returns the sandbox mode when that is the key.</summary>
    private static string? ConfigOverride(string setting)
    {
        var equals = setting.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
            throw new UsageException($"Error: invalid override '{setting}': expected key=value", 2);
        if (setting[..equals].Trim() != "sandbox_mode")
            return null;
        // The value is TOML: a quoted string, though Codex also takes it bare.
        return SandboxMode(setting[(equals + 1)..].Trim().Trim('"', '\''));
    }

    private static bool InsideGitRepository(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
                return true;
        }
        return false;
    }
}

/// <summary>Walks the arguments; after "--" every argument is positional.</summary>
internal sealed class ArgCursor(string[] args, int start)
{
    private int _next = start;
    private bool _optionsEnded;

    public string? Next()
    {
        while (_next < args.Length)
        {
            var arg = args[_next++];
            if (!_optionsEnded && arg == "--")
            {
                _optionsEnded = true;
                continue;
            }
            return arg;
        }
        return null;
    }

    public bool IsOption(string arg) => !_optionsEnded && arg.Length > 1 && arg[0] == '-';

    public string Value(string option) =>
        _next < args.Length ? args[_next++] : throw new UsageException($"option {option} needs a value", 2);
}
