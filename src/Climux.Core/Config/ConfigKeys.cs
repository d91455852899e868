using System.Collections;
using System.Reflection;

namespace Climux.Core.Config;

/// <summary>
/// The key space of <see cref="ClimuxConfig"/>, read off its properties: dotted camelCase keys
/// such as <c>providers.codex.model</c>, where a dictionary level takes any name.
/// </summary>
public static class ConfigKeys
{
    /// <summary>Keys whose values are shown masked: provider environment variables hold API keys.</summary>
    public static bool IsSecret(string key) =>
        key.StartsWith("providers.", StringComparison.Ordinal) && (key.Contains(".env.", StringComparison.Ordinal) || key.EndsWith(".env", StringComparison.Ordinal));

    public static string YamlName(PropertyInfo property) =>
        char.ToLowerInvariant(property.Name[0]) + property.Name[1..];

    public static PropertyInfo? FindProperty(Type section, string yamlName) =>
        Properties(section).FirstOrDefault(p => YamlName(p) == yamlName);

    public static IEnumerable<PropertyInfo> Properties(Type section) =>
        section.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    /// <summary>A section is one of our config classes: a YAML mapping with fixed keys.</summary>
    public static bool IsSection(Type type) => type.IsClass && type.Namespace == typeof(ClimuxConfig).Namespace;

    public static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;

    public static bool IsStringList(Type type) => type == typeof(List<string>);

    /// <summary>The item type of a list of sections (such as <c>routing</c>); null for any other type.</summary>
    public static Type? SectionListItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && IsSection(type.GetGenericArguments()[0]) ? type.GetGenericArguments()[0] : null;

    /// <summary>"did you mean …" for a mistyped key.</summary>
    public static string? Suggest(Type section, string yamlName)
    {
        var names = Properties(section).Select(YamlName).ToList();
        var best = names
            .Select(n => (Name: n, Distance:
                n.Equals(yamlName, StringComparison.OrdinalIgnoreCase) || n.StartsWith(yamlName, StringComparison.OrdinalIgnoreCase) ? 0
                : Distance(n.ToLowerInvariant(), yamlName.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, yamlName.Length / 3) ? best.Name : null;
    }

    public static string KnownKeys(Type section) => string.Join(", ", Properties(section).Select(YamlName));

    /// <summary>
    /// Splits a dotted key into its segments, using the model to tell where a dictionary key ends
    /// (model names hold dots: <c>pricing.gpt-5.1.input</c> is model <c>gpt-5.1</c>, key <c>input</c>).
    /// </summary>
    public static ResolvedKey Resolve(string dottedKey)
    {
        if (string.IsNullOrWhiteSpace(dottedKey))
            throw new ConfigException(null, 0, 0, dottedKey, "the key is empty.");
        return TryResolve(typeof(ClimuxConfig), dottedKey, [], out var resolved, out var problem)
            ? resolved!
            : throw new ConfigException(null, 0, 0, dottedKey, problem!);
    }

    private static bool TryResolve(Type type, string remaining, List<string> segments, out ResolvedKey? resolved, out string? problem)
    {
        resolved = null;
        problem = null;
        if (remaining.Length == 0)
        {
            resolved = new ResolvedKey(segments.ToArray(), type);
            return true;
        }

        if (IsSection(type))
        {
            var dot = remaining.IndexOf('.');
            var name = dot < 0 ? remaining : remaining[..dot];
            var property = FindProperty(type, name);
            if (property is null)
            {
                var suggestion = Suggest(type, name);
                problem = $"unknown key '{name}'" + (suggestion is null ? $"; known keys here: {KnownKeys(type)}." : $"; did you mean '{suggestion}'?");
                return false;
            }
            return TryResolve(property.PropertyType, dot < 0 ? "" : remaining[(dot + 1)..], [.. segments, name], out resolved, out problem);
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            if (!IsSection(valueType))
                return TryResolve(valueType, "", [.. segments, remaining], out resolved, out problem);
            // Shortest name whose remainder is a key of the entry; else the whole rest is the name.
            for (var dot = remaining.IndexOf('.'); dot > 0; dot = remaining.IndexOf('.', dot + 1))
            {
                if (TryResolve(valueType, remaining[(dot + 1)..], [.. segments, remaining[..dot]], out resolved, out _))
                    return true;
            }
            return TryResolve(valueType, "", [.. segments, remaining], out resolved, out problem);
        }

        problem = $"'{string.Join('.', segments)}' has no key '{remaining}'.";
        return false;
    }

    /// <summary>Every set value of <paramref name="config"/> as (dotted key, value), in declaration order.</summary>
    public static IEnumerable<(string Key, object? Value)> Flatten(ClimuxConfig config) => Flatten(config, "");

    private static IEnumerable<(string Key, object? Value)> Flatten(object section, string prefix)
    {
        foreach (var property in Properties(section.GetType()))
        {
            var key = prefix + YamlName(property);
            var value = property.GetValue(section);
            foreach (var leaf in FlattenValue(key, property.PropertyType, value))
                yield return leaf;
        }
    }

    private static IEnumerable<(string Key, object? Value)> FlattenValue(string key, Type type, object? value)
    {
        if (value is null)
            yield break;
        if (IsSection(type))
        {
            foreach (var leaf in Flatten(value, key + "."))
                yield return leaf;
        }
        else if (DictionaryValueType(type) is { } valueType)
        {
            foreach (DictionaryEntry entry in (IDictionary)value)
                foreach (var leaf in FlattenValue($"{key}.{entry.Key}", valueType, entry.Value))
                    yield return leaf;
        }
        else if (value is List<string> list)
            yield return (key, list.ToArray());
        else
            yield return (key, value);
    }

    /// <summary>
    /// Keys a user may set, for tab completion: every fixed key, with dictionary levels filled in
    /// from <paramref name="names"/> (e.g. provider names).
    /// </summary>
    public static IEnumerable<string> Settable(Func<string, IEnumerable<string>> names) => Settable(typeof(ClimuxConfig), "", names);

    private static IEnumerable<string> Settable(Type section, string prefix, Func<string, IEnumerable<string>> names)
    {
        foreach (var property in Properties(section))
        {
            var key = prefix + YamlName(property);
            if (IsSection(property.PropertyType))
            {
                foreach (var child in Settable(property.PropertyType, key + ".", names))
                    yield return child;
            }
            else if (DictionaryValueType(property.PropertyType) is { } valueType && IsSection(valueType))
            {
                foreach (var name in names(key).Distinct(StringComparer.Ordinal))
                    foreach (var child in Settable(valueType, $"{key}.{name}.", names))
                        yield return child;
            }
            else
                yield return key;
        }
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}

/// <summary>A dotted key split into YAML keys, and the type of value it holds.</summary>
public sealed record ResolvedKey(string[] Segments, Type ValueType)
{
    public string Key => string.Join('.', Segments);
}
