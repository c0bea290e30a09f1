using KafkaTyped.Embedded;
using KafkaTyped.Hosting;
using KafkaTyped.Embedded.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KafkaTyped.SchemaRegistry;

/// <summary>
/// Supplies the application's <see cref="ISchemaRegistry"/>: the one the application registered in DI (Confluent's
/// client through <c>KafkaTyped.SchemaRegistry.Confluent</c>, for example), else an HTTP client for the configured
/// <c>KafkaTyped:SchemaRegistry:Urls</c>, or, when none are configured and the application runs on the embedded Kafka
/// cluster, an <see cref="EmbeddedSchemaRegistry"/> started on that cluster (and a client for it).
/// </summary>
/// <remarks>Thread-safe; the registry is created once, on first use. Disposing stops the embedded registry.</remarks>
public sealed class SchemaRegistryProvider : IAsyncDisposable
{
    private readonly SchemaRegistryOptions options;
    private readonly KafkaCluster cluster;
    private readonly ILoggerFactory loggerFactory;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly IHttpClientFactory? httpClientFactory;
    private ISchemaRegistry? client;
    private SchemaRegistryClient? owned;
    private EmbeddedSchemaRegistry? embedded;

    /// <summary>Creates the provider.</summary>
    public SchemaRegistryProvider(IOptions<SchemaRegistryOptions> options, KafkaCluster cluster, ILoggerFactory? loggerFactory = null)
        : this(options, cluster, loggerFactory, null, null)
    {
    }

    /// <summary>Creates the provider (the DI registration's constructor).</summary>
    /// <param name="options">The registry settings.</param>
    /// <param name="cluster">The Kafka cluster (for the embedded registry).</param>
    /// <param name="loggerFactory">Loggers; optional.</param>
    /// <param name="registry">A registry the application supplies (used as is, never disposed here); null for the built-in client.</param>
    /// <param name="httpClientFactory">The factory the built-in client takes its <see cref="HttpClient"/>s from; null to let it own one.</param>
    public SchemaRegistryProvider(IOptions<SchemaRegistryOptions> options, KafkaCluster cluster, ILoggerFactory? loggerFactory, ISchemaRegistry? registry, IHttpClientFactory? httpClientFactory)
    {
        this.options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        this.cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
        this.loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        this.httpClientFactory = httpClientFactory;
        client = registry;
    }

    /// <summary>The embedded registry's URL once started; null when a configured registry is used.</summary>
    public string? EmbeddedUrl => embedded?.Url;

    /// <summary>The registry, created on first call.</summary>
    /// <exception cref="InvalidOperationException">No URL is configured and the application runs on a real Kafka cluster.</exception>
    public async ValueTask<ISchemaRegistry> GetRegistryAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref client) is { } ready)
        {
            return ready;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (client is not null)
            {
                return client;
            }

            var effective = options;
            if (options.Urls.Count == 0)
            {
                string url;
                if (cluster.Embedded is { } embeddedCluster)
                {
                    embedded = await EmbeddedSchemaRegistry.StartAsync(embeddedCluster, new EmbeddedSchemaRegistryOptions(), loggerFactory.CreateLogger<EmbeddedSchemaRegistry>(), cancellationToken).ConfigureAwait(false);
                    url = embedded.Url;
                }
                else
                {
                    // A process that joined another process's embedded cluster uses the registry that process serves.
                    url = EmbeddedKafkaCluster.FindRegistryUrl(cluster.BootstrapServers)
                        ?? throw new InvalidOperationException("No Schema Registry configured: set KafkaTyped:SchemaRegistry:Urls (for example the environment variable KafkaTyped__SchemaRegistry__Urls__0=http://registry:8081). The embedded Schema Registry only starts with the embedded Kafka cluster, and a process joining another process's embedded cluster uses that process's registry once it runs.");
                    SchemaRegistryLog.UsingJoinedRegistry(loggerFactory.CreateLogger<SchemaRegistryProvider>(), url);
                }

                effective = new SchemaRegistryOptions { Urls = [url], RequestTimeout = options.RequestTimeout, MaxRetries = options.MaxRetries };
            }

            var created = httpClientFactory is null
                ? new SchemaRegistryClient(effective, loggerFactory.CreateLogger<SchemaRegistryClient>())
                : new SchemaRegistryClient(effective, httpClientFactory, loggerFactory.CreateLogger<SchemaRegistryClient>());
            owned = created;
            Volatile.Write(ref client, created);
            return created;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        owned?.Dispose();
        if (embedded is not null)
        {
            await embedded.DisposeAsync().ConfigureAwait(false);
        }

        gate.Dispose();
    }
}
