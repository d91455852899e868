using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Climux.Core.Routing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Climux.Core.Config;

/// <summary>
/// Binds a parsed YAML document onto a <see cref="ClimuxConfig"/>, key by key: keys the document
/// has overwrite the target's values, keys it lacks keep them. Every value is checked against the
/// model; the first problem throws a <see cref="ConfigException"/> naming file, line, column, key.
/// A project file is held to the trust rules: keys that choose what runs are an error; the user's
/// own keys are ignored and noted in <paramref name="trust"/>, and so are raised limits when
/// <paramref name="compareLimits"/> (loading over the user's values, not checking a file alone).
/// </summary>
internal sealed class YamlConfigBinder(string? file, ConfigScope scope, IDictionary<string, ConfigSource> sources,
    ConfigTrustReport trust, bool compareLimits)
{
    // Not thread-safe: one per binder, and a binder reads one file on one thread.
    private readonly NullabilityInfoContext _nullability = new();

    public void Bind(ClimuxConfig target, YamlNode root)
    {
        if (IsNull(root))
            return;
        if (root is not YamlMappingNode mapping)
            throw Error(root, null, "the file must be a mapping of keys to values (key: value).");
        BindSection(target, mapping, "");
    }

    private void BindSection(object target, YamlMappingNode node, string prefix)
    {
        foreach (var (keyNode, valueNode) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
                throw Error(keyNode, prefix.TrimEnd('.'), "keys must be plain names.");
            var key = prefix + name;
            var property = ConfigKeys.FindProperty(target.GetType(), name);
            if (property is null)
            {
                var suggestion = ConfigKeys.Suggest(target.GetType(), name);
                throw Error(keyNode, key, $"unknown key '{name}'" +
                    (suggestion is null ? $"; known keys here: {ConfigKeys.KnownKeys(target.GetType())}." : $"; did you mean '{suggestion}'?"));
            }
            if (scope == ConfigScope.Project && property.IsDefined(typeof(UserScopeOnlyAttribute)))
                throw Error(keyNode, key, $"'{name}' can only be set in your user config ($CLIMUX_HOME/config.yaml): " +
                    "a repository's config must not choose which programs run on your machine, with which arguments or environment.");
            if (scope == ConfigScope.Project && property.IsDefined(typeof(UserOwnedAttribute)))
            {
                Ignore(keyNode, key, $"'{key}' is yours to set, in your user config ($CLIMUX_HOME/config.yaml): a repository's config " +
                    "may not set machine limits, prices or where worktrees go", "The project's config sets it too; ignored: only your config may set it.");
                continue;
            }
            var previousSource = sources.TryGetValue(key, out var source) ? source : null;
            var current = property.GetValue(target);
            var nullable = _nullability.Create(property).WriteState == NullabilityState.Nullable;
            var value = Convert(property.PropertyType, valueNode, key, current, nullable);
            CheckRange(property, value, valueNode, key);
            if (value is List<RouteRule> rules)
                value = BindRouting(target, rules, (YamlSequenceNode)valueNode, (List<RouteRule>?)current);
            if (scope == ConfigScope.Project && compareLimits && property.GetCustomAttribute<ProjectMayLowerAttribute>() is { } lower)
            {
                var (wanted, now) = (System.Convert.ToDecimal(value, CultureInfo.InvariantCulture), System.Convert.ToDecimal(current, CultureInfo.InvariantCulture));
                if (!lower.IsLower(wanted, now))
                {
                    if (previousSource is null)
                        sources.Remove(key);
                    else
                        sources[key] = previousSource;
                    if (wanted != now)
                        Ignore(keyNode, key, $"'{key}: {Limit(lower, wanted)}' would raise your limit ({Limit(lower, now)}); a project may only lower it",
                            $"The project's {Limit(lower, wanted)} was ignored: a project may only lower this limit.");
                    continue;
                }
                trust.Reasons[key] = $"The project's config lowers it from {Limit(lower, now)} (a project may only lower this limit).";
            }
            property.SetValue(target, value);
        }
    }

    /// <summary>
    /// Checks each rule's pattern; a project's rules go ahead of the user's (<paramref name="current"/>),
    /// and those naming a provider the user's config does not know are left out, with a warning.
    /// </summary>
    private List<RouteRule> BindRouting(object target, List<RouteRule> rules, YamlSequenceNode node, List<RouteRule>? current)
    {
        var kept = new List<RouteRule>();
        for (var i = 0; i < rules.Count; i++)
        {
            var (rule, item, key) = (rules[i], node.Children[i], $"routing[{i}]");
            if (rule.Pattern.Length == 0 || rule.Provider.Length == 0)
                throw Error(item, key, "a routing rule needs both a pattern and a provider, e.g. { pattern: 'frontend|react', provider: gemini-cli }.");
            if (Routes.PatternProblem(rule.Pattern) is { } problem)
                throw Error(item, key + ".pattern", $"'{rule.Pattern}' is not a valid .NET regular expression: {problem}");
            if (scope == ConfigScope.Project && compareLimits && target is ClimuxConfig user && !Routes.UserKnows(user, rule.Provider))
            {
                Ignore(item, key, $"the routing rule '{rule.Pattern}' names provider '{rule.Provider}', which your config does not know; " +
                    "a project may route only to the built-in providers and those your config declares", "A project rule was ignored: it names a provider your config does not know.");
                continue;
            }
            kept.Add(rule);
        }
        return scope == ConfigScope.Project && compareLimits ? [.. kept, .. current ?? []] : kept;
    }

    private static string Limit(ProjectMayLowerAttribute lower, decimal value) =>
        lower.ZeroMeansNone && value == 0 ? "0 (none)" : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A project value the trust rules refuse: left out, with a warning and the reason its key keeps another value.</summary>
    private void Ignore(YamlNode node, string key, string problem, string reason)
    {
        trust.Warnings.Add($"{file}:{node.Start.Line}: {problem}; Climux ignores it.");
        trust.Reasons[key] = reason;
        trust.Refused[key] = problem + ".";
    }

    private object? Convert(Type type, YamlNode node, string key, object? existing, bool nullable)
    {
        if (ConfigKeys.IsSection(type))
        {
            if (IsNull(node))
                return existing ?? Activator.CreateInstance(type);
            if (node is not YamlMappingNode mapping)
                throw Error(node, key, $"expected a mapping with keys {ConfigKeys.KnownKeys(type)}.");
            var section = existing ?? Activator.CreateInstance(type)!;
            BindSection(section, mapping, key + ".");
            return section;
        }

        if (ConfigKeys.DictionaryValueType(type) is { } valueType)
        {
            var dictionary = (IDictionary)(existing ?? Activator.CreateInstance(type)!);
            if (IsNull(node))
                return dictionary;
            if (node is not YamlMappingNode mapping)
                throw Error(node, key, "expected a mapping of names to values.");
            foreach (var (entryKeyNode, entryNode) in mapping.Children)
            {
                if (entryKeyNode is not YamlScalarNode { Value: { Length: > 0 } entryName })
                    throw Error(entryKeyNode, key, "keys must be plain names.");
                var entryKey = $"{key}.{entryName}";
                dictionary[entryName] = Convert(valueType, entryNode, entryKey,
                    dictionary.Contains(entryName) ? dictionary[entryName] : null, nullable: false);
            }
            return dictionary;
        }

        if (ConfigKeys.SectionListItemType(type) is { } itemType)
        {
            Record(key, node);
            if (IsNull(node))
                return Activator.CreateInstance(type);
            if (node is not YamlSequenceNode items)
                throw Error(node, key, $"expected a list of mappings with keys {ConfigKeys.KnownKeys(itemType)}.");
            var list = (IList)Activator.CreateInstance(type)!;
            for (var i = 0; i < items.Children.Count; i++)
                list.Add(Convert(itemType, items.Children[i], $"{key}[{i}]", null, nullable: false));
            return list;
        }

        Record(key, node);
        if (IsNull(node))
        {
            if (ConfigKeys.IsStringList(type))
                return nullable ? null : new List<string>();
            if (nullable || Nullable.GetUnderlyingType(type) is not null)
                return null;
            throw Error(node, key, $"a value is required ({Describe(type)}).");
        }

        if (ConfigKeys.IsStringList(type))
        {
            if (node is not YamlSequenceNode sequence)
                throw Error(node, key, "expected a list, e.g. [\"a\", \"b\"].");
            return sequence.Children.Select((item, i) => item is YamlScalarNode { Value: { } text } && !IsNull(item)
                ? text
                : throw Error(item, $"{key}[{i}]", "expected a text value.")).ToList();
        }

        if (node is not YamlScalarNode { Value: { } scalar })
            throw Error(node, key, $"expected {Describe(type)}, not a {(node is YamlMappingNode ? "mapping" : "list")}.");
        return ParseScalar(Nullable.GetUnderlyingType(type) ?? type, scalar, node, key);
    }

    private object ParseScalar(Type type, string text, YamlNode node, string key)
    {
        var invariant = CultureInfo.InvariantCulture;
        object? value = type switch
        {
            _ when type == typeof(string) => text,
            _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, invariant, out var i) ? i : null,
            _ when type == typeof(decimal) => decimal.TryParse(text, NumberStyles.Float, invariant, out var m) ? m : null,
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, invariant, out var d) && double.IsFinite(d) ? d : null,
            _ when type == typeof(bool) => text.ToLowerInvariant() switch { "true" => true, "false" => false, _ => null },
            // Enum values are written in any case, with or without hyphens: claude-stream-json is ClaudeStreamJson.
            _ when type.IsEnum => Enum.GetNames(type).FirstOrDefault(n => n.Equals(text.Replace("-", ""), StringComparison.OrdinalIgnoreCase)) is { } n
                ? Enum.Parse(type, n) : null,
            _ => throw new InvalidOperationException($"config type {type} has no YAML reader"),
        };
        return value ?? throw Error(node, key, $"expected {Describe(type)}, got '{text}'.");
    }

    private void CheckRange(PropertyInfo property, object? value, YamlNode node, string key)
    {
        if (value is null || property.GetCustomAttribute<RangeAttribute>() is not { } range)
            return;
        var number = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var min = System.Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        var max = System.Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        if (number < min || number > max)
            throw Error(node, key, $"{System.Convert.ToString(value, CultureInfo.InvariantCulture)} is out of range: expected " +
                $"{min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int)) return "a whole number";
        if (type == typeof(decimal) || type == typeof(double)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(KebabCase));
        if (ConfigKeys.IsStringList(type)) return "a list";
        return "a text value";
    }

    /// <summary>ClaudeStreamJson as the user writes it: claude-stream-json.</summary>
    private static string KebabCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar &&
        (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private void Record(string key, YamlNode node) =>
        sources[key] = new ConfigSource(scope, file, (int)node.Start.Line, (int)node.Start.Column);

    private ConfigException Error(YamlNode node, string? key, string problem) =>
        new(file, (int)node.Start.Line, (int)node.Start.Column, key, problem);
}
