using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.EndToEnd;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Peers;

/// <summary>
/// KafkaTyped as an application uses it: the generated producer's typed <c>Produce</c> (the end-to-end harness's
/// <see cref="BenchProducer"/>) and a hosted consumer group dispatching as generated, default settings otherwise.
/// </summary>
internal sealed class TypedPeer(PeerEnvironment env) : IPeer
{
    public string Name => "KafkaTyped";

    public Measurement Produce(Payload payload, int count)
    {
        var topic = env.NewTopic("typed-produce");
        using var host = BuildHost(new BenchTarget(topic, "unused"), consumer: null);
        var producer = host.Services.GetRequiredService<BenchProducer>();
        producer.Produce(payload.Message, 0, null); // connect and prepare outside the measurement, as raw does
        producer.Flush(TimeSpan.FromSeconds(30));
        var delivered = 0;
        Action<DeliveryReport<int, BytesValue>> onDelivered = _ => Interlocked.Increment(ref delivered);
        var probe = Probe.Start();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(payload.Message, i % PeerEnvironment.KeyCount, onDelivered);
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        var m = probe.Stop(count);
        RawPeer.Check(delivered, count, "KafkaTyped produce");
        return m;
    }

    public Measurement Consume(Payload payload, int count)
    {
        var topic = env.NewTopic("typed-consume");
        env.Prefill(topic, payload, count);
        var target = new BenchTarget(topic, $"typed-{topic}");
        using var host = BuildHost(target, consumer: services => services.AddKafkaTypedConsumer<BenchDispatcher>());
        host.StartAsync().GetAwaiter().GetResult();
        var m = HandledSink.MeasureFromFirst(() => Volatile.Read(ref target.Handled), count, "KafkaTyped consume");
        host.StopAsync().GetAwaiter().GetResult();
        return m;
    }

    public double[] Transit(Payload payload, int rate, int count)
    {
        var topic = env.NewTopic("typed-transit");
        var sink = new HandledSink(count);
        var target = new BenchTarget(topic, $"typed-{topic}");
        using var host = BuildHost(target, consumer: services =>
        {
            services.AddSingleton(sink);
            services.AddScoped<TransitHandler>();
            services.AddKafkaTypedConsumer<TransitDispatcher>();
        });
        host.StartAsync().GetAwaiter().GetResult();
        var producer = host.Services.GetRequiredService<BenchProducer>();
        void Send(int i, bool warmUp)
        {
            var data = new byte[payload.DataLength];
            Payload.Stamp(data, i % PeerEnvironment.KeyCount, i / PeerEnvironment.KeyCount, warmUp);
            producer.Produce(new BytesValue { Value = UnsafeByteOperations.UnsafeWrap(data) }, i % PeerEnvironment.KeyCount, null);
        }

        RawPeer.WarmUp(sink, () => Send(0, warmUp: true));
        Pacer.Run(rate, count, i => Send(i, warmUp: false));
        producer.Flush(TimeSpan.FromMinutes(1));
        var done = HandledSink.WaitUntil(() => Volatile.Read(ref sink.Handled) >= count, TimeSpan.FromMinutes(1));
        host.StopAsync().GetAwaiter().GetResult();
        RawPeer.Check(done ? count : sink.Handled, count, "KafkaTyped transit");
        return sink.SortedTransitMs();
    }

    /// <summary>I/O-bound handlers with <paramref name="lanes"/> per-key lanes per partition (the end-to-end harness's workload).</summary>
    public (double Rate, IoWorkload Workload) RunLanes(int lanes, int count)
    {
        var topic = env.NewTopic("typed-lanes");
        var io = new IoWorkload(lanes);
        // Sizes don't matter here: the handler's awaited delay dominates.
        env.Prefill(topic, new Payload(100), count);
        var target = new BenchTarget(topic, $"typed-{topic}") { Io = io };
        using var host = BuildHost(target, consumer: services => services.AddKafkaTypedConsumer<BenchDispatcher>(), lanes);
        host.StartAsync().GetAwaiter().GetResult();
        var m = HandledSink.MeasureFromFirst(() => Volatile.Read(ref target.Handled), count, $"KafkaTyped lanes {lanes}");
        host.StopAsync().GetAwaiter().GetResult();
        return (m.MessagesPerSecond, io);
    }

    private IHost BuildHost(BenchTarget target, Action<IServiceCollection>? consumer, int lanes = 1)
    {
        var builder = PeerEnvironment.CreateHostBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:BootstrapServers"] = env.BootstrapServers,
            ["KafkaTyped:ProducerSettings:linger.ms"] = env.LingerMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["KafkaTyped:ProducerSettings:queue.buffering.max.messages"] = "1000000",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);

        // The hand-built message set carries no registrable schema: frame without a registry (same bytes on the wire).
        builder.Services.AddSingleton<IPayloadCodec, ConfluentFramingWithoutRegistry>();
        builder.Services.AddKafkaTypedCore(builder.Configuration);
        builder.Services.AddSingleton(target);
        builder.Services.AddKafkaTypedProducer<BenchProducer, BenchProducer>();
        if (consumer is not null)
        {
            builder.Services.AddScoped<NoOpHandler>();
            builder.Services.Configure<ConsumerGroupOptions>(target.Group, o => o.MaxConcurrencyPerPartition = lanes);
            consumer(builder.Services);
        }

        return builder.Build();
    }
}

/// <summary>Reports each message's data bytes (send timestamp) to the sink.</summary>
internal sealed class TransitHandler(HandledSink sink) : IHandle<BytesValue>
{
    public ValueTask HandleAsync(BytesValue message, MessageContext context, CancellationToken cancellationToken)
    {
        sink.OnData(message.Value.Span);
        return default;
    }
}

/// <summary>The dispatcher as generated, for <see cref="TransitHandler"/>.</summary>
internal sealed class TransitDispatcher(IPayloadCodec codec, BenchTarget target) : ConsumerGroupDispatcher(codec)
{
    private readonly MessageSetDefinition[] topics = [target.Set];

    public override string GroupId { get; } = target.Group;

    public override IReadOnlyList<MessageSetDefinition> Topics => topics;

    public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
        return topicIndex == 0 && messageIndex == 0
            ? services.GetRequiredService<TransitHandler>().HandleAsync(Parse(BytesValue.Parser, payload, record), context, cancellationToken)
            : Unhandled(record, topicIndex, messageIndex);
    }
}
