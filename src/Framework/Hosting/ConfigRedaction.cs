using System.Text;

namespace KafkaTyped.Hosting;

/// <summary>Renders client settings for logs with secrets replaced by <c>***</c>.</summary>
internal static class ConfigRedaction
{
    /// <summary>The replacement text of a secret value.</summary>
    public const string Redacted = "***";

    // librdkafka keys holding secrets: passwords, keys, tokens and the JAAS-like SASL configs.
    private static readonly string[] SecretMarkers = ["password", "secret", "sasl.jaas.config", "sasl.oauthbearer.config", "ssl.key.pem", "ssl_key", "ssl.keystore", "token", "credentials"];

    /// <summary>True when the value of <paramref name="key"/> must not be logged.</summary>
    public static bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var marker in SecretMarkers)
        {
            if (key.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Formats settings as <c>key=value, ...</c> sorted by key, secrets redacted.</summary>
    public static string Describe(IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new StringBuilder();
        foreach (var (key, value) in settings.OrderBy(static s => s.Key, StringComparer.Ordinal))
        {
            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(key).Append('=').Append(IsSecret(key) ? Redacted : value);
        }

        return builder.ToString();
    }
}
