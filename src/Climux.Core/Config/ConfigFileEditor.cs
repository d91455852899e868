using System.Collections;
using System.Globalization;
using System.Text.Json;
using Climux.Core.Platform;
using YamlDotNet.RepresentationModel;

namespace Climux.Core.Config;

/// <summary>
/// Sets and removes keys in a config file. Where it can, it edits the text in place (a value
/// replaced, lines added or removed) so the user's comments and layout stay; otherwise it writes the
/// document out again. The result is checked as a config file before it replaces the old one.
/// </summary>
public static class ConfigFileEditor
{
    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> (text, number, bool, list or dictionary).</summary>
    /// <param name="scope">The scope the file belongs to: a project file may not set user-only keys.</param>
    public static void Set(string file, string key, object? value, ConfigScope scope = ConfigScope.User)
    {
        var resolved = ConfigKeys.Resolve(key);
        var text = ReadOrEmpty(file);
        var root = RootMapping(text, file, scope);
        var newNode = ToNode(value);

        // The rewritten document always exists and says exactly what the value means: check it first,
        // so a bad value is reported as such.
        var rewritten = Rewrite(root, resolved.Segments, newNode);
        ValidateValue(rewritten, resolved.Key, scope);

        var edited = EditInPlace(text, root, resolved.Segments, value, newNode);
        Write(file, edited is not null && IsValid(edited, scope) ? edited : rewritten, scope);
    }

    /// <summary>Removes <paramref name="key"/>; returns false when the file did not set it.</summary>
    public static bool Remove(string file, string key, ConfigScope scope = ConfigScope.User)
    {
        var resolved = ConfigKeys.Resolve(key);
        if (!File.Exists(file))
            return false;
        var text = File.ReadAllText(file);
        var root = RootMapping(text, file, scope);
        var segments = resolved.Segments;
        if (Find(root, segments[..^1]) is not YamlMappingNode parent ||
            parent.Children.FirstOrDefault(c => c.Key is YamlScalarNode s && s.Value == segments[^1]) is not { Key: not null } entry)
            return false;

        string result;
        if (parent.Style != YamlDotNet.Core.Events.MappingStyle.Flow && (int)entry.Key.Start.Column > 0 && IsOnlyKeyOnLine(text, entry.Key))
            result = RemoveLines(text, (int)entry.Key.Start.Line, LastLine(entry.Value));
        else
        {
            parent.Children.Remove(entry.Key);
            result = Emit(root);
        }
        if (!IsValid(result, scope))
        {
            parent.Children.Remove(entry.Key);
            result = Emit(root);
        }
        Write(file, result, scope);
        return true;
    }

    private static string ReadOrEmpty(string file) => File.Exists(file) ? File.ReadAllText(file) : "";

    private static YamlMappingNode RootMapping(string text, string file, ConfigScope scope)
    {
        var node = ConfigLoader.Parse(text, file);
        ConfigLoader.Validate(text, file, scope); // refuse to edit a file that is already broken: say where
        return node as YamlMappingNode ?? new YamlMappingNode();
    }

    private static YamlNode? Find(YamlNode node, IEnumerable<string> segments)
    {
        foreach (var segment in segments)
        {
            if (node is not YamlMappingNode mapping ||
                !mapping.Children.TryGetValue(new YamlScalarNode(segment), out var child))
                return null;
            node = child;
        }
        return node;
    }

    private static string Rewrite(YamlMappingNode original, string[] segments, YamlNode value)
    {
        var root = (YamlMappingNode)Clone(original);
        var mapping = root;
        foreach (var segment in segments[..^1])
        {
            var key = new YamlScalarNode(segment);
            if (!mapping.Children.TryGetValue(key, out var child) || child is not YamlMappingNode childMapping)
            {
                childMapping = new YamlMappingNode();
                mapping.Children[key] = childMapping;
            }
            mapping = childMapping;
        }
        mapping.Children[new YamlScalarNode(segments[^1])] = value;
        return Emit(root);
    }

    /// <summary>The text with only the value changed or the new key's lines added; null when that cannot be done safely.</summary>
    private static string? EditInPlace(string text, YamlMappingNode root, string[] segments, object? value, YamlNode newNode)
    {
        var existing = Find(root, segments);
        if (existing is YamlScalarNode { Value.Length: > 0 } scalar && newNode is YamlScalarNode &&
            scalar.Style is not (YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded) &&
            scalar.End.Index > scalar.Start.Index)
        {
            return text[..(int)scalar.Start.Index] + ScalarText(value) + text[(int)scalar.End.Index..];
        }
        if (existing is YamlSequenceNode { Style: YamlDotNet.Core.Events.SequenceStyle.Flow } or YamlMappingNode { Style: YamlDotNet.Core.Events.MappingStyle.Flow } &&
            newNode is not YamlScalarNode && FlowEnd(text, existing) is { } end)
        {
            // A [list] or {map} written inline is replaced inline, so a comment after it stays.
            return text[..(int)existing.Start.Index] + Emit(AsFlow(newNode)).TrimEnd('\n') + text[end..];
        }
        if (existing is not null)
            return null;

        // Deepest block mapping on the path that exists: the new lines go after its last entry.
        YamlMappingNode parent = root;
        var depth = 0;
        while (depth < segments.Length - 1 && Find(parent, [segments[depth]]) is YamlMappingNode next)
        {
            parent = next;
            depth++;
        }
        if (parent.Style == YamlDotNet.Core.Events.MappingStyle.Flow || (parent != root && parent.Children.Count == 0))
            return null;

        var nested = newNode;
        for (var i = segments.Length - 1; i > depth; i--)
            nested = new YamlMappingNode(new YamlScalarNode(segments[i]), nested);
        var fragment = Emit(new YamlMappingNode(new YamlScalarNode(segments[depth]), nested));

        var indent = parent.Children.Count == 0 ? 0 : (int)parent.Children.First().Key.Start.Column - 1;
        var pad = new string(' ', indent);
        var lines = fragment.TrimEnd('\n').Split('\n').Select(l => pad + l);
        var block = string.Join('\n', lines) + "\n";

        if (parent.Children.Count == 0)
            return text.Length == 0 || text.EndsWith('\n') ? text + block : text + "\n" + block;
        return InsertAfterLine(text, parent.Children.Max(c => LastLine(c.Value)), block);
    }

    /// <summary>The index just past the closing bracket of an inline collection; null if it cannot be found.</summary>
    private static int? FlowEnd(string text, YamlNode node)
    {
        if (node is YamlScalarNode)
            return (int)node.End.Index;
        var last = node switch
        {
            YamlSequenceNode { Children.Count: > 0 } s => s.Children[^1],
            YamlMappingNode { Children.Count: > 0 } m => m.Children.Last().Value,
            _ => null,
        };
        var from = last is null ? (int)node.Start.Index + 1 : FlowEnd(text, last);
        if (from is null)
            return null;
        var close = node is YamlSequenceNode ? ']' : '}';
        for (var i = from.Value; i < text.Length; i++)
        {
            if (text[i] == close)
                return i + 1;
            if (!char.IsWhiteSpace(text[i]) && text[i] != ',')
                return null;
        }
        return null;
    }

    private static YamlNode AsFlow(YamlNode node) => node switch
    {
        YamlSequenceNode s => new YamlSequenceNode(s.Children.Select(AsFlow)) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow },
        YamlMappingNode m => new YamlMappingNode(m.Children.Select(c => new KeyValuePair<YamlNode, YamlNode>(c.Key, AsFlow(c.Value)))) { Style = YamlDotNet.Core.Events.MappingStyle.Flow },
        _ => node,
    };

    private static int LastLine(YamlNode node) => node switch
    {
        YamlMappingNode m when m.Children.Count > 0 => m.Children.Max(c => Math.Max((int)c.Key.End.Line, LastLine(c.Value))),
        YamlSequenceNode s when s.Children.Count > 0 => s.Children.Max(LastLine),
        // A block scalar (| or >) ends on the line before its End mark.
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded } b => Math.Max((int)b.Start.Line, (int)b.End.Line - 1),
        _ => (int)node.End.Line,
    };

    private static bool IsOnlyKeyOnLine(string text, YamlNode key)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, (int)key.Start.Index - 1)) + 1;
        if ((int)key.Start.Index == 0)
            lineStart = 0;
        return text[lineStart..(int)key.Start.Index].Trim().Length == 0;
    }

    private static string InsertAfterLine(string text, int line, string block)
    {
        var lines = SplitLines(text);
        lines.Insert(Math.Min(line, lines.Count), block.TrimEnd('\n'));
        return JoinLines(lines);
    }

    private static string RemoveLines(string text, int firstLine, int lastLine)
    {
        var lines = SplitLines(text);
        lines.RemoveRange(firstLine - 1, Math.Min(lastLine, lines.Count) - firstLine + 1);
        return JoinLines(lines);
    }

    private static List<string> SplitLines(string text) =>
        (text.EndsWith('\n') ? text[..^1] : text).Split('\n').ToList();

    private static string JoinLines(List<string> lines) => string.Join('\n', lines) + "\n";

    private static void ValidateValue(string yaml, string key, ConfigScope scope)
    {
        var trust = new ConfigTrustReport();
        try
        {
            ConfigLoader.Validate(yaml, null, scope, trust);
        }
        catch (ConfigException e)
        {
            throw new ConfigException(null, 0, 0, e.Key ?? key, e.Problem, e);
        }
        // Only this key counts: others the file already holds that the trust rules ignore are not this edit's fault.
        if (trust.RefusalFor(key) is { } refusal)
            throw new ConfigException(null, 0, 0, key, refusal);
    }

    private static bool IsValid(string yaml, ConfigScope scope)
    {
        try
        {
            ConfigLoader.Validate(yaml, null, scope);
            return true;
        }
        catch (ConfigException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes a config file whole, making its folder if need be: a user file and folder readable by
    /// the user only; a project's .climux/ and its file readable by all (it is meant to be committed),
    /// writable by the user only, whatever the umask. A file that exists keeps its mode.
    /// </summary>
    public static void Write(string file, string text, ConfigScope scope)
    {
        var shared = scope == ConfigScope.Project;
        OwnerOnly.EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!, shared ? OwnerOnly.SharedDirectoryMode : OwnerOnly.DirectoryMode);
        OwnerOnly.WriteAllTextAtomic(file, text, shared ? OwnerOnly.SharedFileMode : OwnerOnly.FileMode);
    }

    internal static string Emit(YamlNode root)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString().Replace("\r\n", "\n");
        if (text.EndsWith("...\n", StringComparison.Ordinal))
            text = text[..^4];
        return text == "{}\n" ? "" : text;
    }

    private static YamlNode Clone(YamlNode node) => node switch
    {
        YamlMappingNode m => new YamlMappingNode(m.Children.Select(c => new KeyValuePair<YamlNode, YamlNode>(Clone(c.Key), Clone(c.Value)))) { Style = m.Style },
        YamlSequenceNode s => new YamlSequenceNode(s.Children.Select(Clone)) { Style = s.Style },
        YamlScalarNode v => new YamlScalarNode(v.Value) { Style = v.Style },
        _ => node,
    };

    /// <summary>A plain .NET value as a YAML node: text, number and bool as scalars, lists and dictionaries nested.</summary>
    public static YamlNode ToNode(object? value) => value switch
    {
        null => new YamlScalarNode("null"),
        string s => new YamlScalarNode(s) { Style = NeedsQuotes(s) ? YamlDotNet.Core.ScalarStyle.DoubleQuoted : YamlDotNet.Core.ScalarStyle.Plain },
        bool b => new YamlScalarNode(b ? "true" : "false"),
        IFormattable f => new YamlScalarNode(f.ToString(null, CultureInfo.InvariantCulture)),
        IDictionary d => new YamlMappingNode(Entries(d).Select(e =>
            new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(Convert.ToString(e.Key, CultureInfo.InvariantCulture)), ToNode(e.Value)))),
        IEnumerable items => new YamlSequenceNode(items.Cast<object?>().Select(ToNode)) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow },
        _ => new YamlScalarNode(value.ToString()),
    };

    private static IEnumerable<DictionaryEntry> Entries(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary) // IDictionary's own enumerator: generic dictionaries too
            yield return entry;
    }

    private static string ScalarText(object? value) => value switch
    {
        string s when NeedsQuotes(s) => JsonSerializer.Serialize(s),
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value?.ToString() ?? ""),
    };

    /// <summary>Text that would not read back as the same plain string (or would break a flow mapping).</summary>
    private static bool NeedsQuotes(string s) =>
        s.Length == 0 || s != s.Trim() || s.Any(c => ":#,[]{}&*!|>'\"%@`\n\r\t".Contains(c)) || s[0] is '-' or '?' ||
        s.ToLowerInvariant() is "null" or "~" or "true" or "false" or "yes" or "no" or "on" or "off" ||
        s.Any(char.IsControl) || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
