using System.Collections;
using System.Text.RegularExpressions;

namespace Climux.Core.Export;

/// <summary>
/// Hides API keys and tokens in text that leaves Climux (exports): the values of environment
/// variables whose names say they hold a secret, well-known key shapes, authorization headers and
/// <c>name=value</c> pairs whose name says secret. Short values (under <see cref="MinLength"/>
/// characters) and plain numbers are never hidden, so an ordinary word such as a provider env's
/// <c>AGENT_MODE: claude</c>, or a token count, stays readable.
/// </summary>
/// <remarks>
/// No maintained .NET library detects secrets in free text (Microsoft.Extensions.Compliance.Redaction
/// redacts data already classified), so the shapes are a short list, each tested.
/// </remarks>
public sealed partial class SecretRedactor
{
    public const string Mask = "[REDACTED]";

    /// <summary>Shortest value redacted for its name alone.</summary>
    public const int MinLength = 8;

    private static readonly string[] SecretWords = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"];

    private readonly string[] _known;

    /// <param name="knownSecrets">Literal values to hide wherever they appear; ordinary ones (short, numbers) are ignored.</param>
    public SecretRedactor(IEnumerable<string>? knownSecrets = null) =>
        _known = (knownSecrets ?? []).Where(IsSecretLike).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();

    /// <summary>
    /// A redactor for the values of secret-named variables in this process's environment and in
    /// <paramref name="variables"/> (the providers' env from config).
    /// </summary>
    public static SecretRedactor ForEnvironment(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var process = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string>((string)e.Key, e.Value as string ?? ""));
        return new SecretRedactor(process.Concat(variables).Where(v => IsSecretName(v.Key)).Select(v => v.Value));
    }

    /// <summary>
    /// Whether a variable's name says it holds a secret: a part of it (split at _ - .) ends with
    /// KEY, TOKEN, SECRET, PASSWORD, PASSWD or CREDENTIAL (plural too), or is AUTH or AUTHORIZATION
    /// (not AUTHOR: GIT_AUTHOR_NAME is no secret).
    /// </summary>
    public static bool IsSecretName(string name) =>
        name.Split('_', '-', '.').Select(p => p.ToUpperInvariant().TrimEnd('S')).Any(part =>
            part is "AUTH" or "AUTHORIZATION" or "AUTHORIZATIONS" ||
            SecretWords.Any(word => part.EndsWith(word, StringComparison.Ordinal)));

    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        foreach (var secret in _known)
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        text = KeyShapes().Replace(text, Mask);
        text = Authorization().Replace(text, m => m.Groups["lead"].Value + Mask);
        text = Bearer().Replace(text, m => m.Groups["lead"].Value + Mask);
        return NameValue().Replace(text, m => IsSecretName(m.Groups["name"].Value) && IsSecretLike(m.Groups["value"].Value)
            ? m.Groups["name"].Value + m.Groups["sep"].Value + Mask
            : m.Value);
    }

    /// <summary>Long enough to be a secret and not a plain number.</summary>
    private static bool IsSecretLike(string value) => value.Length >= MinLength && !value.All(char.IsAsciiDigit);

    // Anthropic, OpenAI (sk-, sk-proj-, sk-svcacct-), Google API keys and OAuth tokens, GitHub, GitLab,
    // Slack, npm, Hugging Face, Stripe, AWS access key ids, and JWTs (most bearer tokens).
    [GeneratedRegex(@"\bsk-ant-[A-Za-z0-9_\-]{10,}|\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}|AIza[0-9A-Za-z_\-]{30,}|\bya29\.[A-Za-z0-9_\-]{20,}" +
        @"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\-]{20,}|xox[abposr]-[A-Za-z0-9\-]{10,}" +
        @"|\bnpm_[A-Za-z0-9]{36}\b|\bhf_[A-Za-z0-9]{30,}|\b[rs]k_live_[A-Za-z0-9]{16,}|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b" +
        @"|\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")]
    private static partial Regex KeyShapes();

    /// <summary>An Authorization header's credentials, whatever the scheme.</summary>
    [GeneratedRegex(@"(?i)(?<lead>\bauthorization[""']?\s*[:=]\s*[""']?(?:(?:bearer|basic|token|digest)\s+)?)(?!\[REDACTED\])[^\s""',;]{4,}")]
    private static partial Regex Authorization();

    /// <summary>"Bearer &lt;token&gt;" anywhere: a token of 8 or more characters with a digit in it (not "bearer instruments").</summary>
    [GeneratedRegex(@"(?i)(?<lead>\bbearer\s+)(?=[A-Za-z._~+/\-]*[0-9])[A-Za-z0-9._~+/\-]{8,}=*")]
    private static partial Regex Bearer();

    /// <summary>name=value or "name": "value"; redacted when the name says secret (<see cref="IsSecretName"/>).</summary>
    [GeneratedRegex(@"(?<name>\b[A-Za-z][A-Za-z0-9_\-.]*)(?<sep>[""']?\s*[:=]\s*[""']?)(?<value>[^\s""',;\[\]{}]+)")]
    private static partial Regex NameValue();
}
