using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaTyped.Cache;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Testing;

/// <summary>
/// A KafkaTyped application hosted for a test: the application's own registrations (its generated
/// <c>AddKafkaTyped</c>, its services) on an embedded Kafka cluster and Schema Registry that live as long as this host.
/// Produce with the application's generated producers (<see cref="Services"/>), then await what its consumer groups
/// handled (<see cref="WaitUntilHandledAsync(string, TopicPartitionOffset, TimeSpan?, CancellationToken)"/>), what
/// landed in a topic (<see cref="WaitForMessageAsync{T}"/>) or in a dead-letter topic (<see cref="WaitForDeadLetterAsync"/>).
/// </summary>
/// <remarks>
/// <para>Start one per test class or collection (the cluster takes a second or two to start) and give each test its
/// own keys, since topics keep what earlier tests wrote. Every wait ends at <see cref="KafkaTestHostOptions.Timeout"/>
/// with a <see cref="TimeoutException"/> that says what was seen and quotes the host's warnings and errors.</para>
/// <para>Depends on no test framework. Thread-safe.</para>
/// </remarks>
public sealed class KafkaTestHost : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly IHost host;
    private readonly LogCapture logs;
    private int disposed;

    private KafkaTestHost(IHost host, LogCapture logs, TimeSpan timeout)
    {
        this.host = host;
        this.logs = logs;
        Timeout = timeout;
    }

    /// <summary>The application's services (resolve its generated producers and caches here).</summary>
    public IServiceProvider Services => host.Services;

    /// <summary>The host.</summary>
    public IHost Host => host;

    /// <summary>How long each wait lasts unless it is given a timeout of its own.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The bootstrap servers of the cluster the application uses (pass them to a second host to share the cluster).</summary>
    public string BootstrapServers => Services.GetRequiredService<KafkaCluster>().BootstrapServers;

    /// <summary>The embedded Schema Registry's URL, when the application serves one.</summary>
    public string? SchemaRegistryUrl => Services.GetRequiredService<SchemaRegistryProvider>().EmbeddedUrl;

    /// <summary>Log entries the host wrote at <see cref="KafkaTestHostOptions.CapturedLogLevel"/> or above, oldest first.</summary>
    public IReadOnlyList<string> Logs => logs.Entries;

    /// <summary>
    /// Builds and starts a host: <paramref name="configure"/> adds the application's services to the builder (call the
    /// application's <c>AddKafkaTyped</c> there), then the host starts and, unless
    /// <see cref="KafkaTestHostOptions.WaitUntilReady"/> is off, waits until every consumer group joined and every
    /// replicated cache caught up.
    /// </summary>
    /// <param name="configure">Adds the application's services, for example <c>b =&gt; b.Services.AddKafkaTyped(b.Configuration)</c>.</param>
    /// <param name="options">Adjusts the options (timeout, cluster, configuration).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started host; dispose it to stop the application and its embedded cluster.</returns>
    /// <exception cref="TimeoutException">A group did not join or a cache did not catch up in time.</exception>
    public static async Task<KafkaTestHost> StartAsync(Action<HostApplicationBuilder> configure, Action<KafkaTestHostOptions>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var settings = new KafkaTestHostOptions();
        options?.Invoke(settings);
        if (settings.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"KafkaTestHostOptions.Timeout must be positive (it is {settings.Timeout}).", nameof(options));
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = settings.EnvironmentName,
            ApplicationName = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name,
        });
        var configuration = new Dictionary<string, string?>(settings.Configuration, StringComparer.OrdinalIgnoreCase)
        {
            ["KafkaTyped:BootstrapServers"] = settings.BootstrapServers ?? string.Empty,
            ["KafkaTyped:Embedded:Brokers"] = settings.Brokers.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings.Configuration)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        var logs = new LogCapture(settings.CapturedLogLevel);
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(settings.CapturedLogLevel);
        configure(builder);
        if (!builder.Services.Any(static d => d.ServiceType == typeof(KafkaCluster)))
        {
            throw new InvalidOperationException(
                "KafkaTestHost.StartAsync: the configure callback registered no KafkaTyped services. Call the application's "
                + "generated AddKafkaTyped there: `KafkaTestHost.StartAsync(b => b.Services.AddKafkaTyped(b.Configuration))` "
                + "(namespace Microsoft.Extensions.DependencyInjection). It is internal to the assembly that declares the "
                + "messages: add <InternalsVisibleTo Include=\"YourTests\" /> to that project, or call a public method of "
                + "the application that calls it.");
        }

        var host = builder.Build();
        var testHost = new KafkaTestHost(host, logs, settings.Timeout);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Timeout);
            try
            {
                await host.StartAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw testHost.Timeout_($"the host did not start within {Seconds(settings.Timeout)}");
            }

            if (settings.WaitUntilReady)
            {
                await testHost.WaitUntilReadyAsync(settings.Timeout, cancellationToken).ConfigureAwait(false);
            }

            return testHost;
        }
        catch
        {
            await testHost.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Resolves a service of the application (for example a generated producer or a replicated cache).</summary>
    /// <typeparam name="T">The service type.</typeparam>
    public T GetRequiredService<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Waits until every consumer group of the application joined its group and every replicated cache caught up with
    /// its topic (done by <see cref="StartAsync"/> already, unless turned off).
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? Timeout;
        var monitor = Services.GetRequiredService<ConsumerGroupMonitor>();
        var caches = Services.GetServices<IReplicatedCacheStatus>().ToList();
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var groups = monitor.Groups;
            if (groups.FirstOrDefault(static g => g.Fault is not null) is { } faulted)
            {
                throw new InvalidOperationException($"Consumer group '{faulted.GroupId}' stopped: {faulted.Fault!.GetType().Name}: {faulted.Fault.Message}{logs.Quote()}", faulted.Fault);
            }

            var waitingGroups = groups.Where(static g => !g.HasJoined).Select(static g => g.GroupId).ToList();
            var waitingCaches = caches.Where(static c => !c.IsReady).Select(static c => c.Topic).ToList();
            if (waitingGroups.Count == 0 && waitingCaches.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw Timeout_($"the application was not ready within {Seconds(limit)}: "
                    + string.Join("; ", waitingGroups.Select(static g => $"consumer group '{g}' has not joined").Concat(waitingCaches.Select(static c => $"the cache of topic '{c}' has not caught up"))));
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until consumer group <paramref name="groupId"/> handled the record at <paramref name="position"/> (its
    /// committed offset passed it: a group commits a record only once its handler returned, or once it was
    /// dead-lettered). Fails when the group dead-lettered the record instead.
    /// </summary>
    /// <param name="groupId">The consumer group (the name in its <c>[ConsumerGroup]</c> attribute).</param>
    /// <param name="position">The record, for example <c>(await producer.ProduceAsync(message)).TopicPartitionOffset</c>.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">The group did not get past the record in time (the message says where it is).</exception>
    /// <exception cref="KafkaTestException">The group dead-lettered the record (the message quotes the error).</exception>
    public async Task WaitUntilHandledAsync(string groupId, TopicPartitionOffset position, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var outcome = await WaitUntilProcessedAsync(groupId, position, timeout, cancellationToken).ConfigureAwait(false);
        if (!outcome.Handled)
        {
            throw new KafkaTestException($"Expected consumer group '{groupId}' to handle {Describe.Position(position)}, but it dead-lettered it: {outcome.DeadLetter}{logs.Quote()}");
        }
    }

    /// <summary>
    /// Waits until consumer group <paramref name="groupId"/> handled the record a producer reported (see
    /// <see cref="WaitUntilHandledAsync(string, TopicPartitionOffset, TimeSpan?, CancellationToken)"/>).
    /// </summary>
    /// <typeparam name="TKey">The record key type.</typeparam>
    /// <typeparam name="TValue">The message type.</typeparam>
    /// <param name="groupId">The consumer group.</param>
    /// <param name="delivery">What the generated producer's <c>ProduceAsync</c> returned.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task WaitUntilHandledAsync<TKey, TValue>(string groupId, DeliveryResult<TKey, TValue> delivery, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return WaitUntilHandledAsync(groupId, delivery.TopicPartitionOffset, timeout, cancellationToken);
    }

    /// <summary>
    /// Waits until consumer group <paramref name="groupId"/> is done with the record at <paramref name="position"/>,
    /// handled or dead-lettered, and says which.
    /// </summary>
    /// <param name="groupId">The consumer group.</param>
    /// <param name="position">The record.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">The group did not get past the record in time.</exception>
    public async Task<ProcessingOutcome> WaitUntilProcessedAsync(string groupId, TopicPartitionOffset position, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        ArgumentNullException.ThrowIfNull(position);
        if (position.Offset.Value < 0)
        {
            throw new ArgumentException($"{Describe.Position(position)} is not the position of a record (a produced record has an offset of 0 or more).", nameof(position));
        }

        var limit = timeout ?? Timeout;
        var deadline = DateTime.UtcNow + limit;
        var cluster = Services.GetRequiredService<KafkaCluster>();
        var config = cluster.CreateConsumerConfig(groupId);
        var committed = Offset.Unset;
        await Task.Run(
            () =>
            {
                // A consumer that never subscribes does not join the group: it only reads the group's committed offsets.
                using var reader = new ConsumerBuilder<Ignore, Ignore>(config).SetLogHandler(static (_, _) => { }).Build();
                var partition = new List<TopicPartition> { position.TopicPartition };
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        committed = reader.Committed(partition, TimeSpan.FromSeconds(5))[0].Offset;
                    }
                    catch (KafkaException)
                    {
                        // The coordinator may not be known yet; asked again below.
                    }

                    if (committed.Value > position.Offset.Value)
                    {
                        return;
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        break;
                    }

                    Thread.Sleep(PollInterval);
                }

                var status = Services.GetRequiredService<ConsumerGroupMonitor>().Groups.FirstOrDefault(g => g.GroupId == groupId);
                var state = status is null
                    ? $"this application runs no consumer group '{groupId}' (groups: {string.Join(", ", Services.GetRequiredService<ConsumerGroupMonitor>().Groups.Select(static g => g.GroupId).DefaultIfEmpty("none"))})"
                    : status.Fault is { } fault
                        ? $"the group stopped: {fault.GetType().Name}: {fault.Message}"
                        : $"the group {(status.HasJoined ? "joined" : "has not joined")}, {status.AssignedPartitions} partition(s) assigned";
                throw Timeout_($"consumer group '{groupId}' did not handle {Describe.Position(position)} within {Seconds(limit)}: its committed offset there is {(committed.Value < 0 ? "none" : committed.Value.ToString(CultureInfo.InvariantCulture))}; {state}");
            },
            cancellationToken).ConfigureAwait(false);

        var suffix = Services.GetRequiredService<IOptionsMonitor<ConsumerGroupOptions>>().Get(groupId).DeadLetter.TopicSuffix;
        var deadLetter = await FindAsync(
            position.Topic + suffix,
            record => DeadLetter.From(record, static _ => null) is { } d && d.GroupId == groupId && d.OriginalPosition == position ? record : null,
            TimeSpan.Zero,
            mustExist: false,
            cancellationToken).ConfigureAwait(false);
        return new ProcessingOutcome(groupId, position, deadLetter is null ? null : ReadDeadLetter(deadLetter, SetOf(position.Topic)));
    }

    /// <summary>
    /// Waits for a message of type <typeparamref name="T"/> matching <paramref name="match"/> in the topic of
    /// <paramref name="set"/>, reading it from the beginning; returns the first match.
    /// </summary>
    /// <typeparam name="T">The message type (a member of <paramref name="set"/>).</typeparam>
    /// <param name="set">The message set, for example <c>OrderEventsSet.Instance</c> (generated per <c>[Topic]</c>).</param>
    /// <param name="match">Which message; any of type <typeparamref name="T"/> when null.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">No such message arrived in time (the message counts what was read).</exception>
    public async Task<ConsumedMessage<T>> WaitForMessageAsync<T>(MessageSetDefinition set, Func<T, bool>? match = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        var limit = timeout ?? Timeout;
        var codec = Services.GetRequiredService<IPayloadCodec>();
        var read = 0;
        var ofType = 0;
        var found = await FindAsync(
            set.Topic,
            record =>
            {
                read++;
                if (Decode(codec, set, record.Message.Value) is T message)
                {
                    ofType++;
                    if (match is null || match(message))
                    {
                        return new ConsumedMessage<T>(message, Describe.Key(record.Message.Key), record.TopicPartitionOffset, record.Message.Headers ?? []);
                    }
                }

                return null;
            },
            limit,
            mustExist: true,
            cancellationToken).ConfigureAwait(false);
        return found ?? throw Timeout_($"no {typeof(T).Name}{(match is null ? string.Empty : " matching the condition")} arrived in topic '{set.Topic}' within {Seconds(limit)}: read {read} record(s), {ofType} of them {typeof(T).Name}");
    }

    /// <summary>
    /// Waits until consumer group <paramref name="groupId"/> handled a message of type <typeparamref name="T"/> matching
    /// <paramref name="match"/> (one the application produced itself, say): finds it in the topic, then waits for the
    /// group to get past it.
    /// </summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="groupId">The consumer group.</param>
    /// <param name="set">The message set of the topic.</param>
    /// <param name="match">Which message; any of type <typeparamref name="T"/> when null.</param>
    /// <param name="timeout">How long each of the two waits lasts; <see cref="Timeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The handled message.</returns>
    public async Task<ConsumedMessage<T>> WaitUntilHandledAsync<T>(string groupId, MessageSetDefinition set, Func<T, bool>? match = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var message = await WaitForMessageAsync(set, match, timeout, cancellationToken).ConfigureAwait(false);
        await WaitUntilHandledAsync(groupId, message.Position, timeout, cancellationToken).ConfigureAwait(false);
        return message;
    }

    /// <summary>
    /// Waits for a dead letter of a record of <paramref name="set"/>'s topic matching <paramref name="match"/> (in
    /// <c>{topic}.dlq</c>, or <paramref name="topicSuffix"/>), reading the dead-letter topic from the beginning.
    /// </summary>
    /// <param name="set">The message set of the topic the failed records came from.</param>
    /// <param name="match">Which dead letter (for example <c>d =&gt; d.Key == orderId</c>); any when null.</param>
    /// <param name="topicSuffix">The groups' <c>DeadLetter:TopicSuffix</c> (default <c>.dlq</c>).</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">No such dead letter arrived in time.</exception>
    public async Task<DeadLetter> WaitForDeadLetterAsync(MessageSetDefinition set, Func<DeadLetter, bool>? match = null, string topicSuffix = ".dlq", TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        var limit = timeout ?? Timeout;
        var topic = set.Topic + topicSuffix;
        var read = 0;
        var found = await FindAsync(
            topic,
            record =>
            {
                read++;
                return ReadDeadLetter(record, set) is { } d && (match is null || match(d)) ? d : null;
            },
            limit,
            mustExist: true,
            cancellationToken).ConfigureAwait(false);
        return found ?? throw Timeout_($"no dead letter{(match is null ? string.Empty : " matching the condition")} arrived in topic '{topic}' within {Seconds(limit)}: read {read} dead letter(s)");
    }

    /// <summary>Stops the application and its embedded cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        using (var stop = new CancellationTokenSource(Timeout))
        {
            try
            {
                await host.StopAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Disposing below ends what did not stop in time.
            }
        }

        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            host.Dispose();
        }
    }

    private DeadLetter? ReadDeadLetter(ConsumeResult<byte[], byte[]> record, MessageSetDefinition? set)
    {
        var codec = Services.GetRequiredService<IPayloadCodec>();
        return DeadLetter.From(record, value => set is null ? null : Decode(codec, set, value));
    }

    /// <summary>The message set of <paramref name="topic"/> among those the application's consumer groups read, if any.</summary>
    private MessageSetDefinition? SetOf(string topic) =>
        Services.GetServices<IHostedService>()
            .SelectMany(static s => s.GetType().GetGenericArguments())
            .Where(static t => typeof(ConsumerGroupDispatcher).IsAssignableFrom(t))
            .Select(t => Services.GetService(t) as ConsumerGroupDispatcher)
            .SelectMany(static d => d?.Topics ?? [])
            .FirstOrDefault(s => s.Topic == topic);

    private static object? Decode(IPayloadCodec codec, MessageSetDefinition set, byte[]? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            // A registry codec fetches a schema id it has not seen yet here (the test thread may wait on it).
            var preparing = codec.PrepareToReadAsync(set, value, CancellationToken.None);
            if (!preparing.IsCompletedSuccessfully)
            {
                preparing.AsTask().GetAwaiter().GetResult();
            }

            if (!codec.TryReadHeader(set, value, out var index, out var headerLength, out _))
            {
                return null;
            }

            return ParserOf(set, index)?.ParseFrom(value, headerLength, value.Length - headerLength);
        }
        catch (Exception exception) when (exception is Google.Protobuf.InvalidProtocolBufferException or SchemaRegistryException)
        {
            return null;
        }
    }

    /// <summary>
    /// The parser of member <paramref name="index"/>: the set's own, or the one of the message at that position in the
    /// set's generated <c>Descriptor</c> (a message index is the message's position in its file).
    /// </summary>
    private static Google.Protobuf.MessageParser? ParserOf(MessageSetDefinition set, int index)
    {
        if (set.ParserOf(index) is { } parser)
        {
            return parser;
        }

        var file = set.GetType().GetProperty("Descriptor", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) as Google.Protobuf.Reflection.FileDescriptor;
        return file is not null && (uint)index < (uint)file.MessageTypes.Count ? file.MessageTypes[index].Parser : null;
    }

    /// <summary>
    /// Reads every partition of <paramref name="topic"/> from the beginning until <paramref name="match"/> returns a
    /// result or <paramref name="limit"/> passes. With <paramref name="limit"/> zero, reads up to the end offsets once.
    /// </summary>
    private Task<TResult?> FindAsync<TResult>(string topic, Func<ConsumeResult<byte[], byte[]>, TResult?> match, TimeSpan limit, bool mustExist, CancellationToken cancellationToken)
        where TResult : class
    {
        var cluster = Services.GetRequiredService<KafkaCluster>();
        return Task.Run(
            () =>
            {
                // A zero limit still gets a guard: reading up to the end offsets must not hang either.
                var deadline = DateTime.UtcNow + (limit == TimeSpan.Zero ? Timeout : limit);
                var config = cluster.CreateConsumerConfig("kafkatyped-testing-" + Guid.NewGuid().ToString("N"));
                config.EnableAutoCommit = false;
                config.AutoOffsetReset = AutoOffsetReset.Earliest;

                // What a test inspects is the whole record, whichever fields the application's own consumers skip.
                config.ConsumeResultFields = "all";

                // Wait for the topic itself (the application may create it on first use).
                int partitions;
                // Confluent.Kafka refuses consumer-only (dotnet.consumer.*) settings in an admin client.
                var adminConfig = new AdminClientConfig(config.Where(static pair => !pair.Key.StartsWith("dotnet.", StringComparison.Ordinal)).ToDictionary());
                using (var admin = new AdminClientBuilder(adminConfig).SetLogHandler(static (_, _) => { }).Build())
                {
                    while (true)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(5)).Topics.FirstOrDefault(t => t.Topic == topic);
                        if (metadata is { Error.IsError: false } && metadata.Partitions.Count > 0)
                        {
                            partitions = metadata.Partitions.Count;
                            break;
                        }

                        if (!mustExist || DateTime.UtcNow > deadline)
                        {
                            return null;
                        }

                        Thread.Sleep(PollInterval);
                    }
                }

                using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler(static (_, _) => { }).Build();
                var assigned = Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)).ToList();
                var ends = limit == TimeSpan.Zero
                    ? assigned.ToDictionary(static p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p.TopicPartition, TimeSpan.FromSeconds(10)).High.Value)
                    : null;
                consumer.Assign(assigned);
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (ends is not null && ends.All(e => consumer.Position(new TopicPartition(topic, e.Key)).Value >= e.Value || e.Value == 0))
                    {
                        return null;
                    }

                    var record = consumer.Consume(PollInterval);
                    if (record is { IsPartitionEOF: false, Message: not null } && match(record) is { } result)
                    {
                        return result;
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        return null;
                    }
                }
            },
            cancellationToken);
    }

    private TimeoutException Timeout_(string what) => new($"KafkaTyped.Testing: {what}.{logs.Quote()}");

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    /// <summary>Keeps the host's log entries at or above a level.</summary>
    private sealed class LogCapture(LogLevel level) : ILoggerProvider
    {
        private const int Kept = 200;
        private readonly Queue<string> entries = new();

        public IReadOnlyList<string> Entries
        {
            get
            {
                lock (entries)
                {
                    return [.. entries];
                }
            }
        }

        /// <summary>The last entries, to end a failure message with.</summary>
        public string Quote()
        {
            var last = Entries.TakeLast(10).ToList();
            return last.Count == 0 ? string.Empty : $"{Environment.NewLine}Last log entries of the host:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", last)}";
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private void Add(string entry)
        {
            lock (entries)
            {
                entries.Enqueue(entry);
                if (entries.Count > Kept)
                {
                    entries.Dequeue();
                }
            }
        }

        private sealed class Logger(LogCapture owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.Level && logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                {
                    return;
                }

                var text = new StringBuilder().Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
                if (exception is not null)
                {
                    text.Append(" (").Append(exception.GetType().Name).Append(": ").Append(exception.Message).Append(')');
                }

                owner.Add(text.ToString());
            }
        }

        private LogLevel Level => level;
    }
}

/// <summary>A test expectation about a KafkaTyped application that did not hold (for example a record was dead-lettered instead of handled).</summary>
public sealed class KafkaTestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KafkaTestException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public KafkaTestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public KafkaTestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
