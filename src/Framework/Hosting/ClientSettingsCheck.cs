using System.Globalization;
using KafkaTyped.Embedded.Native;

namespace KafkaTyped.Hosting;

/// <summary>
/// Checks librdkafka settings and bootstrap lists before any client is built, so that a mistyped key, an invalid value
/// or a malformed broker list stops the application at start-up with the configuration key that holds it, instead of a
/// <see cref="FormatException"/> without a name or an error at the first send.
/// </summary>
internal static class ClientSettingsCheck
{
    /// <summary>
    /// Sets each setting on a fresh librdkafka configuration, as clients will, and checks Confluent.Kafka's own
    /// (<c>dotnet.</c>) settings against what it accepts; returns one line per setting refused (unknown name, invalid
    /// value, a client setting in a section of clients that refuse it), naming <paramref name="keyPrefix"/><c>:{name}</c>.
    /// </summary>
    public static IEnumerable<string> Check(IEnumerable<KeyValuePair<string, string>> settings, string keyPrefix, ClientKinds clients)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var errors = new List<string>();
        var conf = LibRdKafka.ConfNew();
        try
        {
            var errstr = new byte[512];
            foreach (var (name, value) in settings)
            {
                if (ConfluentClientSettings.IsConfluentSetting(name))
                {
                    // Confluent.Kafka reads these itself and never hands them to librdkafka, which would call them unknown.
                    if ((ConfluentClientSettings.Problem(name, value ?? string.Empty) ?? ConfluentClientSettings.PlacementProblem(name, clients)) is { } problem)
                    {
                        errors.Add($"{keyPrefix}:{name} = '{value}' is refused: {problem}.");
                    }
                }
                else if (LibRdKafka.ConfSet(conf, name, value ?? string.Empty, errstr, (UIntPtr)errstr.Length) != LibRdKafka.ConfOk)
                {
                    var shown = ConfigRedaction.IsSecret(name) ? ConfigRedaction.Redacted : value;
                    errors.Add($"{keyPrefix}:{name} = '{shown}' is refused by librdkafka: {LibRdKafka.ReadError(errstr)}. Fix or remove it (the settings are librdkafka's, see its CONFIGURATION.md).");
                }
            }
        }
        finally
        {
            LibRdKafka.ConfDestroy(conf);
        }

        return errors;
    }

    /// <summary>
    /// Checks a bootstrap list: comma-separated <c>host:port</c> entries (an optional <c>protocol://</c> prefix, IPv6
    /// hosts in brackets), ports from 1 to 65535. Returns null when valid, else what is wrong with which entry.
    /// </summary>
    public static string? CheckBootstrapServers(string bootstrapServers)
    {
        foreach (var raw in bootstrapServers.Split(','))
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                return "it has an empty entry (two commas, or a trailing comma)";
            }

            var address = entry;
            var scheme = address.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                address = address[(scheme + 3)..];
            }

            string host;
            string? port;
            if (address.StartsWith('['))
            {
                var close = address.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    return $"entry '{entry}' opens an IPv6 address with '[' but never closes it";
                }

                host = address[1..close];
                var rest = address[(close + 1)..];
                port = rest.StartsWith(':') ? rest[1..] : rest.Length == 0 ? null : rest;
            }
            else
            {
                var colon = address.LastIndexOf(':');
                host = colon < 0 ? address : address[..colon];
                port = colon < 0 ? null : address[(colon + 1)..];
            }

            if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535))
            {
                return $"entry '{entry}' has port '{port}', which is not a number from 1 to 65535";
            }

            if (host.Length == 0 || host.Any(static c => char.IsWhiteSpace(c) || c is '/' or '\\'))
            {
                return $"entry '{entry}' has no valid host name ('{host}')";
            }
        }

        return null;
    }
}
