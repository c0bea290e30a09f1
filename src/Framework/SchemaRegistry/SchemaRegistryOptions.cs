namespace KafkaTyped.SchemaRegistry;

/// <summary>Settings of the HTTP Schema Registry client, bound from <c>KafkaTyped:SchemaRegistry</c>.</summary>
public sealed class SchemaRegistryOptions
{
    /// <summary>The configuration section name below <c>KafkaTyped</c>.</summary>
    public const string SectionName = "SchemaRegistry";

    /// <summary>
    /// Registry URLs, tried in order: a 5xx answer, a timeout or a network error moves to the next; a 4xx answer is
    /// final. A URL may carry <c>user:password@</c>, used as basic auth when no credentials are set below.
    /// </summary>
    public IList<string> Urls { get; set; } = [];

    /// <summary>Basic-auth user name.</summary>
    public string? BasicAuthUsername { get; set; }

    /// <summary>Basic-auth password. Never logged.</summary>
    public string? BasicAuthPassword { get; set; }

    /// <summary>A bearer token (takes precedence over basic auth). Never logged.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Timeout of one HTTP request. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rounds over all URLs after the first one fails everywhere. Default 2.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Delay before the first retry round; doubles each round up to <see cref="MaxRetryBackoff"/>. Default 100 ms.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound of the retry delay. Default 5 s.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A PEM file with the CA certificate(s) that sign the registry's certificate, when not in the system store.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>A PKCS#12 file with the client certificate and key, for mutual TLS.</summary>
    public string? SslKeystoreLocation { get; set; }

    /// <summary>The password of <see cref="SslKeystoreLocation"/>. Never logged.</summary>
    public string? SslKeystorePassword { get; set; }

    /// <summary>Verify the registry's TLS certificate. Default true; false only for tests.</summary>
    public bool EnableSslCertificateVerification { get; set; } = true;

    /// <summary>Cached (subject, schema) registrations and lookups, and ids. Default 1000 each; 0 disables the bound.</summary>
    public int MaxCachedSchemas { get; set; } = 1000;
}
