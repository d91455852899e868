using Climux.Core.Paths;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Climux.Core.Config;

/// <summary>Reads the user config, then the project config over it, key by key.</summary>
public static class ConfigLoader
{
    public static string ProjectFile(string workspaceRoot) => Path.Combine(workspaceRoot, ".climux", "config.yaml");

    /// <param name="workspaceRoot">The repository's top level, or null outside a repository.</param>
    /// <remarks>
    /// The project config is someone else's text: it may not choose what runs (an error), nor set the
    /// user's own keys or raise a limit (ignored, with a warning in <see cref="LoadedConfig.Warnings"/>).
    /// </remarks>
    public static LoadedConfig Load(ClimuxHome home, string? workspaceRoot)
    {
        var config = new ClimuxConfig();
        var sources = new Dictionary<string, ConfigSource>(StringComparer.Ordinal);
        var trust = new ConfigTrustReport();
        BindFile(config, sources, home.ConfigFile, ConfigScope.User, trust);
        var projectFile = workspaceRoot is null ? null : ProjectFile(workspaceRoot);
        if (projectFile is not null)
            BindFile(config, sources, projectFile, ConfigScope.Project, trust);
        return new LoadedConfig(config, sources, home.ConfigFile, projectFile, trust);
    }

    /// <summary>
    /// Checks YAML text as a config file of <paramref name="scope"/> would be checked; throws
    /// <see cref="ConfigException"/>. Project values the trust rules would ignore go into <paramref name="trust"/>.
    /// </summary>
    public static ClimuxConfig Validate(string yaml, string? file, ConfigScope scope = ConfigScope.User, ConfigTrustReport? trust = null)
    {
        var config = new ClimuxConfig();
        new YamlConfigBinder(file, scope, new Dictionary<string, ConfigSource>(), trust ?? new ConfigTrustReport(), compareLimits: false)
            .Bind(config, Parse(yaml, file));
        return config;
    }

    private static void BindFile(ClimuxConfig config, Dictionary<string, ConfigSource> sources, string file, ConfigScope scope, ConfigTrustReport trust)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        new YamlConfigBinder(file, scope, sources, trust, compareLimits: true).Bind(config, Parse(text, file));
    }

    /// <summary>Parses one YAML document; an empty file is an empty mapping.</summary>
    internal static YamlNode Parse(string text, string? file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // YamlDotNet throws InvalidOperationException for some malformed input, with no position:
            // replaying the parser's events finds where it stopped either way.
            var (key, stoppedAt) = ReplayUntilFailure(text, (e as YamlException)?.Start);
            var problem = (e.InnerException as YamlException ?? e as YamlException)?.Message ?? "the text cannot be parsed here.";
            if (problem.StartsWith('(') && problem.IndexOf("): ", StringComparison.Ordinal) is var end and > 0)
                problem = problem[(end + 3)..]; // drop YamlDotNet's own "(Line: …)" prefix: we give the position
            throw new ConfigException(file, (int)stoppedAt.Line, (int)stoppedAt.Column, key, "not valid YAML: " + problem, e);
        }
        return stream.Documents.Count switch
        {
            0 => new YamlMappingNode(),
            1 => stream.Documents[0].RootNode,
            _ => throw new ConfigException(file, (int)stream.Documents[1].RootNode.Start.Line, (int)stream.Documents[1].RootNode.Start.Column,
                null, "the file holds more than one YAML document (---); keep one."),
        };
    }

    /// <summary>
    /// Replays the parser's events up to <paramref name="failure"/> (or up to the parser's own
    /// failure) and gives the dotted key being read there and the position reached.
    /// </summary>
    private static (string? Key, Mark Position) ReplayUntilFailure(string text, Mark? failure)
    {
        var path = new List<(bool IsMapping, string? Key, bool ExpectKey)>();
        string? lastKey = null;
        var position = failure ?? Mark.Empty;
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext() && parser.Current is { } current && (failure is null || current.Start.Index < failure.Value.Index))
            {
                if (failure is null)
                    position = current.End;
                switch (current)
                {
                    case MappingStart:
                        path.Add((true, null, true));
                        break;
                    case SequenceStart:
                        path.Add((false, null, false));
                        break;
                    case MappingEnd or SequenceEnd:
                        path.RemoveAt(path.Count - 1);
                        ValueDone(path);
                        break;
                    case Scalar scalar when path.Count > 0 && path[^1].IsMapping && path[^1].ExpectKey:
                        path[^1] = path[^1] with { Key = scalar.Value, ExpectKey = false };
                        lastKey = string.Join('.', path.Where(f => f.IsMapping && f.Key is not null).Select(f => f.Key));
                        break;
                    case Scalar or AnchorAlias:
                        ValueDone(path);
                        break;
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            if (failure is null && e is YamlException y)
                position = y.Start;
        }
        return (lastKey, position);

        static void ValueDone(List<(bool IsMapping, string? Key, bool ExpectKey)> path)
        {
            if (path.Count > 0 && path[^1].IsMapping)
                path[^1] = path[^1] with { ExpectKey = true };
        }
    }
}

/// <summary>The merged config, with the file and line each value came from.</summary>
public sealed class LoadedConfig(ClimuxConfig config, IReadOnlyDictionary<string, ConfigSource> sources, string userFile, string? projectFile,
    ConfigTrustReport? trust = null)
{
    private readonly ConfigTrustReport _trust = trust ?? new ConfigTrustReport();

    public ClimuxConfig Config { get; } = config;
    public IReadOnlyDictionary<string, ConfigSource> Sources { get; } = sources;
    public string UserFile { get; } = userFile;
    public string? ProjectFile { get; } = projectFile;

    /// <summary>Project values that were ignored because only the user may set them, or because they would raise a limit: say them to the user.</summary>
    public IReadOnlyList<string> Warnings => _trust.Warnings;

    public ConfigSource SourceOf(string key) => Sources.GetValueOrDefault(key, ConfigSource.Default);

    /// <summary>Why <paramref name="key"/> holds its value: which scope won, and what the trust rules did.</summary>
    public string ReasonFor(string key)
    {
        for (var prefix = key; prefix.Length > 0; prefix = prefix.LastIndexOf('.') is var dot and > 0 ? prefix[..dot] : "")
        {
            if (_trust.Reasons.TryGetValue(prefix, out var reason))
                return reason;
        }
        return SourceOf(key).Scope switch
        {
            ConfigScope.Project => "Set in the project's config, over yours.",
            ConfigScope.User => "Set in your config.",
            _ => "The built-in default.",
        };
    }

    /// <summary>Every value, with where it came from and why; provider <c>env</c> values are masked.</summary>
    public IEnumerable<ClimuxConfigEntry> Entries() =>
        ConfigKeys.Flatten(Config).Select(leaf =>
        {
            var source = SourceOf(leaf.Key);
            var value = IsSecret(leaf.Key) ? ClimuxConfigEntry.Masked : leaf.Value;
            return new ClimuxConfigEntry(leaf.Key, value, source.Scope, source.File, source.Line, ReasonFor(leaf.Key));
        });

    private static bool IsSecret(string key) => ConfigKeys.IsSecret(key);
}
