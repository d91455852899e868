using System.Text.RegularExpressions;

namespace Climux.Core.Export;

/// <summary>
/// Hides API keys and tokens in text that leaves Climux (exports): well-known key shapes,
/// NAME=value pairs whose name says key/token/secret/password, and any literal values given
/// (such as the provider env values from config).
/// </summary>
public sealed partial class SecretRedactor(IEnumerable<string>? knownSecrets = null)
{
    public const string Mask = "[REDACTED]";

    private readonly string[] _known = (knownSecrets ?? []).Where(s => s.Length >= 6).Distinct().OrderByDescending(s => s.Length).ToArray();

    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        foreach (var secret in _known)
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        text = KeyShapes().Replace(text, Mask);
        text = Bearer().Replace(text, m => m.Groups[1].Value + Mask);
        return NamedSecret().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
    }

    [GeneratedRegex(@"sk-ant-[A-Za-z0-9_\-]{10,}|sk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}|AIza[0-9A-Za-z_\-]{30,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9\-]{10,}|\bAKIA[0-9A-Z]{16}\b")]
    private static partial Regex KeyShapes();

    [GeneratedRegex(@"(?i)(\bbearer\s+)[A-Za-z0-9._~+/\-]{16,}=*")]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(?i)(?<name>\b[A-Z0-9_\-]*(?:API[_\-]?KEY|TOKEN|SECRET|PASSWORD|PASSWD)[A-Z0-9_\-]*[""']?)(?<sep>\s*[:=]\s*[""']?)(?<value>[^\s""',;]{6,})")]
    private static partial Regex NamedSecret();
}
