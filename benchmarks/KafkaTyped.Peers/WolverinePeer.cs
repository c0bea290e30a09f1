using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Kafka;

namespace KafkaTyped.Peers;

/// <summary>
/// Wolverine 6 with its Kafka transport, as its documentation sets it up: <c>PublishMessage&lt;T&gt;().ToKafkaTopic</c>,
/// <c>ListenToKafkaTopic</c>, a conventional handler, its natural serializer (System.Text.Json) and envelope. The Kafka
/// clients get the same settings as the others (<see cref="PeerEnvironment"/>). No message store: durability Solo.
/// </summary>
internal sealed class WolverinePeer(PeerEnvironment env) : IPeer
{
    public string Name => "Wolverine";

    public Measurement Produce(Payload payload, int count)
    {
        var topic = env.NewTopic("wolverine-produce");
        using var host = BuildHost(topic, listen: null);
        host.StartAsync().GetAwaiter().GetResult();
        var bus = host.MessageBus();
        bus.PublishAsync(new PeerMessage(payload.NewData(0, 0)), new DeliveryOptions { PartitionKey = "0" }).AsTask().GetAwaiter().GetResult();
        env.WaitForRecords(topic, 1, TimeSpan.FromMinutes(1)); // connected and delivering before the measurement
        var probe = Probe.Start();
        PublishAll(bus, payload, count);
        env.WaitForRecords(topic, count + 1, TimeSpan.FromMinutes(3));
        var m = probe.Stop(count);
        host.StopAsync().GetAwaiter().GetResult();
        return m;
    }

    public Measurement Consume(Payload payload, int count)
    {
        // Wolverine's records are bigger than the others' (envelope headers, JSON): fewer fit in the embedded cluster's
        // partitions (it drops the oldest batches silently past ~5 MiB), so it reads as many as fit in 4 MiB each.
        var recordSize = RecordSize(payload);
        count = Math.Min(count, 4 * 1024 * 1024 * PeerEnvironment.Partitions / recordSize);
        var topic = env.NewTopic("wolverine-consume");
        using (var publisher = BuildHost(topic, listen: null))
        {
            // Filled through Wolverine itself, so the records carry its own envelope headers.
            publisher.StartAsync().GetAwaiter().GetResult();
            PublishAll(publisher.MessageBus(), payload, count);
            env.WaitForRecords(topic, count, TimeSpan.FromMinutes(3));
            publisher.StopAsync().GetAwaiter().GetResult();
        }

        var sink = HandledSink.Current = new HandledSink(0);
        using var host = BuildHost(topic, listen: _ => { });
        host.StartAsync().GetAwaiter().GetResult();
        var m = HandledSink.MeasureFromFirst(() => Volatile.Read(ref sink.Handled), count, "Wolverine consume");
        host.StopAsync().GetAwaiter().GetResult();
        return m;
    }

    public double[] Transit(Payload payload, int rate, int count)
    {
        var topic = env.NewTopic("wolverine-transit");
        var sink = HandledSink.Current = new HandledSink(count);
        using var host = BuildHost(topic, listen: _ => { });
        host.StartAsync().GetAwaiter().GetResult();
        var bus = host.MessageBus();
        void Send(int i, bool warmUp)
        {
            var key = i % PeerEnvironment.KeyCount;
            bus.PublishAsync(new PeerMessage(payload.NewData(key, i / PeerEnvironment.KeyCount, warmUp)), new DeliveryOptions { PartitionKey = key.ToString(System.Globalization.CultureInfo.InvariantCulture) })
                .AsTask().GetAwaiter().GetResult();
        }

        RawPeer.WarmUp(sink, () => Send(0, warmUp: true));
        Pacer.Run(rate, count, i => Send(i, warmUp: false));
        var done = HandledSink.WaitUntil(() => Volatile.Read(ref sink.Handled) >= count, TimeSpan.FromMinutes(1));
        host.StopAsync().GetAwaiter().GetResult();
        RawPeer.Check(done ? count : sink.Handled, count, "Wolverine transit");
        return sink.SortedTransitMs();
    }

    /// <summary>I/O-bound handlers (Task.Delay(1)); <paramref name="configure"/> sets Wolverine's parallelism on the listener.</summary>
    public (double Rate, HandledSink Sink) RunIoBound(int count, Action<KafkaListenerConfiguration> configure)
    {
        var topic = env.NewTopic("wolverine-lanes");
        var payload = new Payload(100);
        using (var publisher = BuildHost(topic, listen: null))
        {
            publisher.StartAsync().GetAwaiter().GetResult();
            PublishAll(publisher.MessageBus(), payload, count);
            env.WaitForRecords(topic, count, TimeSpan.FromMinutes(3));
            publisher.StopAsync().GetAwaiter().GetResult();
        }

        var sink = HandledSink.Current = new HandledSink(0, ioBound: true);
        using var host = BuildHost(topic, listen: configure);
        host.StartAsync().GetAwaiter().GetResult();
        var m = HandledSink.MeasureFromFirst(() => Volatile.Read(ref sink.Handled), count, "Wolverine I/O-bound");
        host.StopAsync().GetAwaiter().GetResult();
        return (m.MessagesPerSecond, sink);
    }

    private readonly Dictionary<int, int> recordSizes = [];

    /// <summary>How many bytes one of Wolverine's records takes on the topic (key, value and headers).</summary>
    public int RecordSize(Payload payload)
    {
        if (recordSizes.TryGetValue(payload.Size, out var known))
        {
            return known;
        }

        var topic = env.NewTopic("wolverine-size");
        using (var publisher = BuildHost(topic, listen: null))
        {
            publisher.StartAsync().GetAwaiter().GetResult();
            PublishAll(publisher.MessageBus(), payload, 1);
            env.WaitForRecords(topic, 1, TimeSpan.FromMinutes(1));
            publisher.StopAsync().GetAwaiter().GetResult();
        }

        using var consumer = new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(env.ConsumerConfig($"size-{topic}")).Build();
        consumer.Subscribe(topic);
        var record = consumer.Consume(TimeSpan.FromMinutes(1)) ?? throw new TimeoutException("Wolverine's record never arrived");
        var size = (record.Message.Key?.Length ?? 0) + record.Message.Value.Length
            + (record.Message.Headers?.Sum(h => h.Key.Length + (h.GetValueBytes()?.Length ?? 0)) ?? 0);
        Console.WriteLine($"# Wolverine record for a {payload.Label} payload: {size:N0} B (key {record.Message.Key?.Length ?? 0}, value {record.Message.Value.Length}, {record.Message.Headers?.Count ?? 0} headers); the others' records: {payload.Size + 4:N0} B");
        consumer.Close();
        recordSizes[payload.Size] = size;
        return size;
    }

    /// <summary>Publishes without awaiting each send one at a time (as a producer loop would), keyed over the same keys.</summary>
    private static void PublishAll(IMessageBus bus, Payload payload, int count)
    {
        var pending = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var key = i % PeerEnvironment.KeyCount;
            var sent = bus.PublishAsync(new PeerMessage(payload.NewData(key, i / PeerEnvironment.KeyCount)), new DeliveryOptions { PartitionKey = key.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            if (!sent.IsCompletedSuccessfully)
            {
                pending.Add(sent.AsTask());
            }
        }

        Task.WaitAll(pending);
    }

    private IHost BuildHost(string topic, Action<KafkaListenerConfiguration>? listen)
    {
        var builder = PeerEnvironment.CreateHostBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(Environment.GetEnvironmentVariable("PEERS_LOG") == "1" ? LogLevel.Information : LogLevel.Warning);
        builder.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(PeerMessage).Assembly;
            opts.Durability.Mode = DurabilityMode.Solo;
            opts.UseRuntimeCompilation();
            opts.Discovery.DisableConventionalDiscovery().IncludeType(typeof(PeerMessageHandler));
            opts.UseKafka(env.BootstrapServers)
                .ConfigureProducers(env.ApplyProducerSettings)
                .ConfigureConsumers(env.ApplyConsumerSettings);
            opts.PublishMessage<PeerMessage>().ToKafkaTopic(topic);
            if (listen is not null)
            {
                // A listener's own consumer config replaces the transport's, so it gets the same settings again.
                var listener = opts.ListenToKafkaTopic(topic).ConfigureConsumer(c =>
                {
                    env.ApplyConsumerSettings(c);
                    c.GroupId = $"wolverine-{topic}";
                });
                listen(listener);
            }
        });
        return builder.Build();
    }
}

/// <summary>Wolverine's handler, found by its conventions (a static Handle method on a *Handler class).</summary>
public static class PeerMessageHandler
{
    public static Task Handle(PeerMessage message) => HandledSink.Current.HandleAsync(message.Data);
}
