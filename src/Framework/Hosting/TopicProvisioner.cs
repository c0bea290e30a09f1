using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Hosting;

/// <summary>
/// Creates the topics of message sets with their declared partition counts: always on the embedded cluster (where a
/// topic first named by a client would otherwise appear with 4 partitions), and with the admin client on a real
/// cluster only when <see cref="KafkaTypedOptions.CreateTopics"/> is true.
/// </summary>
/// <remarks>Singleton; thread-safe; remembers the topics it ensured.</remarks>
internal sealed class TopicProvisioner
{
    private readonly KafkaCluster cluster;
    private readonly KafkaTypedOptions options;
    private readonly ILogger<TopicProvisioner> logger;
    private readonly ConcurrentDictionary<string, byte> ensured = new(StringComparer.Ordinal);

    /// <summary>Creates the service.</summary>
    public TopicProvisioner(KafkaCluster cluster, IOptions<KafkaTypedOptions> options, ILogger<TopicProvisioner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.cluster = cluster;
        this.options = options.Value;
        this.logger = logger;
    }

    /// <summary>Creates <paramref name="set"/>'s topic (and its dead-letter topic when <paramref name="deadLetterSuffix"/> is set) on the embedded cluster. Does nothing on a real cluster.</summary>
    internal void EnsureEmbedded(MessageSetDefinition set, string? deadLetterSuffix = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (cluster.Embedded is not { } embedded)
        {
            return;
        }

        foreach (var (name, partitions) in Topics(set, deadLetterSuffix))
        {
            if (ensured.TryAdd(name, 0) && embedded.CreateTopic(name, partitions))
            {
                HostingLog.TopicCreated(logger, name, partitions);
            }
        }
    }

    /// <summary>Ensures the topics of <paramref name="sets"/> exist (see the class remarks for when topics are created).</summary>
    internal async Task EnsureAsync(IEnumerable<MessageSetDefinition> sets, string? deadLetterSuffix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        if (cluster.IsEmbedded)
        {
            foreach (var set in sets)
            {
                EnsureEmbedded(set, deadLetterSuffix);
            }

            return;
        }

        if (!options.CreateTopics)
        {
            return;
        }

        var specifications = new List<TopicSpecification>();
        foreach (var set in sets)
        {
            foreach (var (name, partitions) in Topics(set, deadLetterSuffix))
            {
                if (!ensured.ContainsKey(name))
                {
                    var specification = new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = set.ReplicationFactor };
                    if (set.TopicConfigs is { Count: > 0 } configs && string.Equals(name, set.Topic, StringComparison.Ordinal))
                    {
                        specification.Configs = new Dictionary<string, string>(configs, StringComparer.Ordinal);
                    }

                    specifications.Add(specification);
                }
            }
        }

        if (specifications.Count == 0)
        {
            return;
        }

        var config = new AdminClientConfig(new Dictionary<string, string>(options.Settings, StringComparer.Ordinal)) { BootstrapServers = cluster.BootstrapServers };
        using var admin = new AdminClientBuilder(config).Build();
        try
        {
            await admin.CreateTopicsAsync(specifications).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CreateTopicsException exception)
        {
            foreach (var result in exception.Results)
            {
                if (result.Error.IsError && result.Error.Code != ErrorCode.TopicAlreadyExists)
                {
                    throw new InvalidOperationException($"KafkaTyped could not create topic '{result.Topic}': {result.Error.Reason}. Create it yourself or grant the CreateTopics ACL.", exception);
                }
            }
        }

        foreach (var specification in specifications)
        {
            ensured.TryAdd(specification.Name, 0);
            HostingLog.TopicCreated(logger, specification.Name, specification.NumPartitions);
        }
    }

    private static IEnumerable<(string Name, int Partitions)> Topics(MessageSetDefinition set, string? deadLetterSuffix)
    {
        yield return (set.Topic, set.Partitions);
        if (!string.IsNullOrEmpty(deadLetterSuffix))
        {
            yield return (set.Topic + deadLetterSuffix, set.Partitions);
        }
    }
}
