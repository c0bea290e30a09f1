using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Consuming;
using KafkaTyped.Diagnostics;
using KafkaTyped.Hosting;
using KafkaTyped.IntegrationTests.Consuming.Proto;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.IntegrationTests.SchemaRegistry;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static KafkaTyped.IntegrationTests.Consuming.RegistryFramingTests;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>
/// A Schema Registry outage on the consume path: a record written with a schema version the consumer has not seen yet
/// arrives while the consumer cannot reach the registry (its URL goes through a proxy that is switched off).
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class RegistryOutageTests(EmbeddedClusterFixture fixture)
{
    private const string OrdersV2 = """
        syntax = "proto3";

        package kafkatyped.tests.consuming;

        option csharp_namespace = "KafkaTyped.IntegrationTests.Consuming.Proto";

        message OrderPlaced {
          string order_id = 1;
          int64 amount_cents = 2;
        }

        message OrderCancelled {
          string order_id = 1;
          string reason = 2;
        }

        message OrderShipped {
          string order_id = 1;
        }
        """;

    [Theory]
    [InlineData(RegistryClientKind.KafkaTyped)]
    [InlineData(RegistryClientKind.Confluent)]
    public async Task A_record_with_an_unseen_schema_id_waits_for_the_registry_and_is_handled_when_it_is_back_without_retries_or_dead_letters(RegistryClientKind kind)
    {
        var topic = fixture.NewTopic("registry-outage", 1);
        fixture.Cluster.CreateTopic(topic + ".dlq", 1);
        var registry = await fixture.SharedRegistryAsync();
        using var proxy = new SwitchableTcpProxy(registry.Url);
        var orders = new OrdersSetup(topic, $"g-outage-{Guid.NewGuid():N}");
        var handled = new ConcurrentQueue<(string OrderId, int Attempt, long Offset)>();
        var logs = new CapturingLoggerProvider();
        using var metrics = new TopicCounters(topic);

        using var host = await StartAsync(orders, handled, proxy.Url, logs, kind);
        var producer = host.Services.GetRequiredService<OrderProducer>();
        await producer.ProduceAsync(new OrderPlaced { OrderId = "before", AmountCents = 1 });
        await WaitUntilAsync(() => handled.Count == 1, "the first record was not handled");
        Assert.True(proxy.Accepted > 0, "the consumer did not reach the registry through the proxy");

        // Another application registers a new version of the set's schema (a new id) directly on the registry.
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [registry.Url] });
        var v1 = await client.GetLatestSchemaAsync(topic + "-value");
        var v2Id = await client.RegisterSchemaAsync(topic + "-value", new Schema(OrdersV2));
        Assert.NotEqual(v1.Id, v2Id);

        // The consumer's registry goes away; then a record framed with the new id arrives, and one after it.
        proxy.Stop();
        long unseenOffset;
        using (var raw = new ProducerBuilder<byte[], byte[]>(fixture.ProducerConfig()).Build())
        {
            var value = new byte[6];
            BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(1, 4), v2Id); // magic 0, id, message index [0] = OrderPlaced
            value = [.. value, .. new OrderPlaced { OrderId = "during", AmountCents = 2 }.ToByteArray()];
            unseenOffset = (await raw.ProduceAsync(topic, new Message<byte[], byte[]> { Key = "during"u8.ToArray(), Value = value })).Offset.Value;
        }

        await producer.ProduceAsync(new OrderPlaced { OrderId = "after", AmountCents = 3 });

        // The partition waits and asks again (twice seen here), handling nothing behind the record and committing nothing past it.
        await WaitUntilAsync(() => logs.Entries.Count(e => e.EventId == 1117) >= 2, "the registry outage was not reported twice");
        Assert.Equal(["before"], handled.Select(h => h.OrderId));
        Assert.True(RawKafka.Committed(fixture, orders.Group, topic, 1)[0] <= unseenOffset, "committed past the record that waits for the registry");
        var wait = logs.Entries.First(e => e.EventId == 1117);
        Assert.Contains($"{topic}[0]@{unseenOffset}", wait.Message, StringComparison.Ordinal);

        // The registry is back: the record is read with the new schema and the partition goes on, in order.
        proxy.Start();
        await WaitUntilAsync(() => handled.Count == 3, "the partition did not resume after the registry came back");
        Assert.Equal(["before", "during", "after"], handled.Select(h => h.OrderId));
        Assert.All(handled, h => Assert.Equal(1, h.Attempt)); // waiting used up no attempts
        Assert.Equal(unseenOffset, handled.Single(h => h.OrderId == "during").Offset);

        await host.StopAsync();
        Assert.Equal(0, RawKafka.HighWatermarks(fixture, topic + ".dlq", 1)[0]);
        Assert.Equal(unseenOffset + 2, RawKafka.Committed(fixture, orders.Group, topic, 1)[0]);
        Assert.DoesNotContain(logs.Entries, e => e.EventId is 1107 or 1108);
        Assert.True(metrics.Failed >= 2, $"kafkatyped.consumer.failed counted {metrics.Failed} registry waits");
        Assert.Equal(0, metrics.Retried);
        Assert.Equal(0, metrics.DeadLettered);
    }

    [Fact]
    public async Task An_unseen_schema_id_is_fetched_asynchronously_before_dispatch_so_reading_the_header_needs_no_network()
    {
        var topic = fixture.NewTopic("registry-prefetch", 1);
        var registry = await fixture.SharedRegistryAsync();
        using var proxy = new SwitchableTcpProxy(registry.Url);
        var orders = new OrdersSetup(topic, $"g-prefetch-{Guid.NewGuid():N}");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:BootstrapServers"] = fixture.BootstrapServers,
            ["KafkaTyped:SchemaRegistry:Urls:0"] = proxy.Url,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddKafkaTypedRegistryFraming(builder.Configuration);
        using var host = builder.Build();
        var codec = host.Services.GetRequiredService<IPayloadCodec>();
        await codec.PrepareAsync(orders.Set);

        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [registry.Url] });
        var v2Id = await client.RegisterSchemaAsync(topic + "-value", new Schema(OrdersV2));
        var value = new byte[6];
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(1, 4), v2Id); // magic 0, id, message index [0] = OrderPlaced
        value = [.. value, .. new OrderPlaced { OrderId = "x" }.ToByteArray()];

        // Registry unreachable: the asynchronous step reports it as a registry error, so the engine waits and asks again.
        proxy.Stop();
        await Assert.ThrowsAsync<SchemaRegistryException>(() => codec.PrepareToReadAsync(orders.Set, value, CancellationToken.None).AsTask());

        // Reachable: the id is fetched and cached; afterwards the synchronous header read needs no registry at all.
        proxy.Start();
        await codec.PrepareToReadAsync(orders.Set, value, CancellationToken.None);
        proxy.Stop();
        Assert.True(codec.TryReadHeader(orders.Set, value, out var messageIndex, out var headerLength, out var error), error);
        Assert.Equal(0, messageIndex);
        Assert.Equal(6, headerLength);
        Assert.True(codec.PrepareToReadAsync(orders.Set, value, CancellationToken.None).IsCompletedSuccessfully);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(failure);
            }

            await Task.Delay(50);
        }
    }

    private async Task<IHost> StartAsync(OrdersSetup orders, ConcurrentQueue<(string, int, long)> handled, string registryUrl, CapturingLoggerProvider logs, RegistryClientKind kind = RegistryClientKind.KafkaTyped)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:BootstrapServers"] = fixture.BootstrapServers,
            ["KafkaTyped:SchemaRegistry:Urls:0"] = registryUrl,
            [$"KafkaTyped:Consumers:{orders.Group}:CommitInterval"] = "00:00:00.200",
            [$"KafkaTyped:Consumers:{orders.Group}:Retry:InitialDelay"] = "00:00:00.020",
            [$"KafkaTyped:Consumers:{orders.Group}:Retry:MaxDelay"] = "00:00:00.200",
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddProvider(logs);
        builder.Services.AddKafkaTypedRegistryFraming(builder.Configuration);
        KafkaTyped.IntegrationTests.SchemaRegistry.RegistryTestHelpers.UseClient(builder.Services, kind, registryUrl);
        builder.Services.AddSingleton(orders);
        builder.Services.AddSingleton(handled);
        builder.Services.AddScoped<AttemptRecorder>();
        builder.Services.AddKafkaTypedProducer<OrderProducer, OrderProducer>();
        builder.Services.AddKafkaTypedConsumer<RecorderDispatcher>();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public sealed class AttemptRecorder(ConcurrentQueue<(string, int, long)> handled) : IHandle<OrderPlaced>
    {
        public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
        {
            handled.Enqueue((message.OrderId, context.Attempt, context.Offset));
            return default;
        }
    }

    /// <summary>As generated for <see cref="AttemptRecorder"/> on the orders set.</summary>
    public sealed class RecorderDispatcher(IPayloadCodec codec, OrdersSetup setup) : ConsumerGroupDispatcher(codec)
    {
        private readonly MessageSetDefinition[] topics = [setup.Set];

        public override string GroupId => setup.Group;

        public override IReadOnlyList<MessageSetDefinition> Topics => topics;

        public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
        {
            var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
            if (topicIndex == 0 && messageIndex == 0)
            {
                return services.GetRequiredService<AttemptRecorder>().HandleAsync(Parse(OrderPlaced.Parser, payload, record), context, cancellationToken);
            }

            return Unhandled(record, topicIndex, messageIndex);
        }
    }

    /// <summary>The consumer's failure counters for one topic, from the KafkaTyped meter.</summary>
    private sealed class TopicCounters : IDisposable
    {
        private readonly MeterListener listener = new();
        private long failed;
        private long retried;
        private long deadLettered;

        public TopicCounters(string topic)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KafkaTypedDiagnostics.Name && instrument.Name is "kafkatyped.consumer.failed" or "kafkatyped.consumer.retried" or "kafkatyped.consumer.dead_lettered")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == SemanticConventions.DestinationName && Equals(tag.Value, topic))
                    {
                        switch (instrument.Name)
                        {
                            case "kafkatyped.consumer.failed": Interlocked.Add(ref failed, value); break;
                            case "kafkatyped.consumer.retried": Interlocked.Add(ref retried, value); break;
                            default: Interlocked.Add(ref deadLettered, value); break;
                        }
                    }
                }
            });
            listener.Start();
        }

        public long Failed => Interlocked.Read(ref failed);

        public long Retried => Interlocked.Read(ref retried);

        public long DeadLettered => Interlocked.Read(ref deadLettered);

        public void Dispose() => listener.Dispose();
    }
}
