using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Consuming;

/// <summary>
/// Runs one consumer of the group dispatched by <typeparamref name="TDispatcher"/> for the lifetime of the host:
/// creates its topics (and dead-letter topics), then starts the poll thread; on stop, drains and commits.
/// </summary>
internal sealed class ConsumerGroupHostedService<TDispatcher> : IHostedService
    where TDispatcher : ConsumerGroupDispatcher
{
    private readonly TDispatcher dispatcher;
    private readonly IServiceProvider services;
    private readonly KafkaCluster cluster;
    private readonly TopicProvisioner topics;
    private readonly KafkaProducerConnection producer;
    private readonly ConsumerGroupMonitor monitor;
    private readonly IOptionsMonitor<ConsumerGroupOptions> groupOptions;
    private readonly ILoggerFactory loggerFactory;
    private readonly IPayloadCodec codec;
    private readonly ConsumerGroupControl control;
    private readonly IOptions<KafkaTypedOptions> options;
    private ConsumerGroupRunner? runner;
    private TransactionalCommits? transactions;

    public ConsumerGroupHostedService(TDispatcher dispatcher, IServiceProvider services, KafkaCluster cluster, TopicProvisioner topics, KafkaProducerConnection producer, ConsumerGroupMonitor monitor, IOptionsMonitor<ConsumerGroupOptions> groupOptions, ILoggerFactory loggerFactory, IPayloadCodec codec, ConsumerGroupControl control, IOptions<KafkaTypedOptions> options)
    {
        this.options = options;
        this.control = control;
        this.codec = codec;
        this.dispatcher = dispatcher;
        this.services = services;
        this.cluster = cluster;
        this.topics = topics;
        this.producer = producer;
        this.monitor = monitor;
        this.groupOptions = groupOptions;
        this.loggerFactory = loggerFactory;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var group = dispatcher.GroupId;
        // Bound from KafkaTyped:Consumers:{group} and validated here: an invalid setting stops the host, naming its key.
        var groupOptions = this.groupOptions.Get(group);
        Batching.BatchStartupCheck.Validate(dispatcher, groupOptions);
        var logger = loggerFactory.CreateLogger("KafkaTyped.Consuming." + group);
        await topics.EnsureAsync(dispatcher.Topics, groupOptions.DeadLetter.Enabled ? groupOptions.DeadLetter.TopicSuffix : null, cancellationToken).ConfigureAwait(false);

        foreach (var set in dispatcher.Topics)
        {
            // The codec learns each set's schema ids before the first record arrives (a registry lookup or registration).
            await codec.PrepareAsync(set, cancellationToken).ConfigureAwait(false);
        }

        var groupSettings = new Dictionary<string, string>(groupOptions.Settings, StringComparer.Ordinal);
        if (groupOptions.GroupProtocol == ConsumerGroupProtocol.Consumer)
        {
            groupSettings["group.protocol"] = "consumer";
        }

        var config = cluster.CreateConsumerConfig(group, groupSettings);

        // At-least-once rests on committing only the handled watermark: librdkafka's auto-commit would commit the
        // consumed position instead, so it is off whatever the settings say.
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        RecordFields.ChooseForGroup(config, dispatcher.Topics);

        if (groupOptions.Transactional)
        {
            // Offsets travel inside the transactions: the consumer never commits, and reads committed data only.
            config.IsolationLevel = Confluent.Kafka.IsolationLevel.ReadCommitted;
            var producerConfig = cluster.CreateProducerConfig();
            foreach (var (key, value) in options.Value.ProducerSettings)
            {
                producerConfig.Set(key, value);
            }

            // One id per member; zombies of an older group generation are fenced through the group metadata (KIP-447).
            producerConfig.TransactionalId = $"kafkatyped-{group}-{Guid.NewGuid():N}";
            var embedded = Embedded.EmbeddedKafkaCluster.IsEmbedded(config.BootstrapServers);
            transactions = new TransactionalCommits(producerConfig, group, groupOptions.ShutdownDrainTimeout, embedded, logger, groupOptions.Retry.InitialDelay);
            await Task.Run(transactions.Start, cancellationToken).ConfigureAwait(false);
        }

        // The embedded cluster cannot list groups (no ListGroups in librdkafka's mock): tools read this roster instead.
        Embedded.EmbeddedClusterDirectory.RecordGroup(config.BootstrapServers, group);
        ConsumingLog.Starting(logger, group, ConfigRedaction.Describe(config));
        var deadLetters = new DeadLetterPublisher(producer, group, groupOptions.DeadLetter.TopicSuffix, logger);
        IRecordProcessor processor = new MessageProcessor(dispatcher, services, groupOptions, deadLetters, logger, transactions, services.GetService<ScopedRegistrations>());
        if (dispatcher.BatchHandlerCount > 0)
        {
            processor = new Batching.BatchRecordProcessor((MessageProcessor)processor, dispatcher, services, groupOptions, deadLetters, logger);
        }

        runner = new ConsumerGroupRunner(dispatcher, groupOptions, config, processor, monitor.GetOrAdd(group), logger, control.Group(group), transactions);
        runner.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (runner is not null)
        {
            await runner.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        transactions?.Dispose();
    }
}
