using Climux.Core.Export;

namespace Climux.Core.Tests.Export;

public sealed class SecretRedactorTests
{
    private static readonly Dictionary<string, string> ProviderEnv = new()
    {
        ["AGENT_MODE"] = "claude",
        ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9000",
        ["MY_SERVICE_API_KEY"] = "k3y-value-0123",
        ["SHORT_TOKEN"] = "abc",
        ["DB_PASSWORD"] = "hunter2hunter2",
    };

    private static string Redact(string text) => SecretRedactor.ForEnvironment(ProviderEnv).Redact(text)!;

    [Fact]
    public void Ordinary_provider_env_values_are_never_redacted()
    {
        Assert.Equal("claude wrote this with claude at http://127.0.0.1:9000", Redact("claude wrote this with claude at http://127.0.0.1:9000"));
        Assert.Equal("abc is a word", Redact("abc is a word"));
    }

    [Fact]
    public void Values_of_secret_named_variables_are_redacted_from_the_provider_env()
    {
        Assert.Equal("key [REDACTED], password [REDACTED]", Redact("key k3y-value-0123, password hunter2hunter2"));
    }

    [Fact]
    public void Values_of_secret_named_variables_are_redacted_from_the_process_environment()
    {
        Environment.SetEnvironmentVariable("CLIMUX_TEST_REDACT_CREDENTIAL", "plain-9f8e7d6c");
        Environment.SetEnvironmentVariable("CLIMUX_TEST_REDACT_AUTH", "zz-auth-value");
        try
        {
            Assert.Equal("got [REDACTED] and [REDACTED]", Redact("got plain-9f8e7d6c and zz-auth-value"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("CLIMUX_TEST_REDACT_CREDENTIAL", null);
            Environment.SetEnvironmentVariable("CLIMUX_TEST_REDACT_AUTH", null);
        }
    }

    [Theory]
    [InlineData("OPENAI_API_KEY", true)]
    [InlineData("GH_TOKEN", true)]
    [InlineData("AWS_SECRET_ACCESS_KEY", true)]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS", true)]
    [InlineData("BASIC_AUTH", true)]
    [InlineData("APIKEY", true)]
    [InlineData("npm_config__authToken", true)]
    [InlineData("GIT_AUTHOR_NAME", false)]
    [InlineData("KEYBOARD_LAYOUT", false)]
    [InlineData("AGENT_MODE", false)]
    [InlineData("HOME", false)]
    public void Secret_names_are_told_apart(string name, bool secret) => Assert.Equal(secret, SecretRedactor.IsSecretName(name));

    [Theory]
    [InlineData("sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz012345")]
    [InlineData("sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")]
    [InlineData("sk-AbCdEfGhIjKlMnOpQrStUvWx")]
    [InlineData("AIzaSyA1234567890abcdefghijklmnopqrstu")]
    [InlineData("ya29.a0AfH6SMBx1234567890abcdefgh")]
    [InlineData("ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnop")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("xoxb-1234567890-abcdefghij")]
    [InlineData("glpat-AbCdEfGhIjKlMnOpQrSt")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")]
    public void Known_key_shapes_are_redacted(string key)
    {
        var redacted = Redact($"the key is {key} here");
        Assert.DoesNotContain(key, redacted);
        Assert.Contains("[REDACTED]", redacted);
        Assert.StartsWith("the key is ", redacted);
    }

    [Theory]
    [InlineData("Authorization: Bearer abcd1234", "Authorization: Bearer [REDACTED]")]
    [InlineData("curl -H 'Authorization: Basic dXNlcjpwYXNz'", "curl -H 'Authorization: Basic [REDACTED]'")]
    [InlineData("export ANTHROPIC_API_KEY=plainvalue99", "export ANTHROPIC_API_KEY=[REDACTED]")]
    [InlineData("\"password\": \"hunter22\"", "\"password\": \"[REDACTED]\"")]
    public void Bearer_tokens_and_named_secrets_in_text_are_redacted(string text, string expected) => Assert.Equal(expected, Redact(text));

    [Theory]
    [InlineData("{\"cache_read_input_tokens\":1000000,\"output_tokens\":12345678}")]
    [InlineData("max_tokens=4096 and token_count: 123456789")]
    [InlineData("the secret ingredient is love")]
    public void Counts_and_ordinary_words_are_left_alone(string text) => Assert.Equal(text, Redact(text));
}
