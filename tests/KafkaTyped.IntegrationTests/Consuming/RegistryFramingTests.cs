using System.Buffers.Binary;
using System.Collections.Concurrent;
using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.IntegrationTests.Consuming.Proto;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.Producing;
using KafkaTyped.Protobuf;
using KafkaTyped.IntegrationTests.SchemaRegistry;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>The engine on the Schema Registry's wire format: protoc-generated messages, schemas registered at first use.</summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class RegistryFramingTests(EmbeddedClusterFixture fixture)
{
    [Theory]
    [InlineData(RegistryClientKind.KafkaTyped)]
    [InlineData(RegistryClientKind.Confluent)]
    public async Task Values_carry_the_registered_schema_id_and_reach_their_handlers(RegistryClientKind kind)
    {
        var topic = fixture.NewTopic("registry-framing", 3);
        fixture.Cluster.CreateTopic(topic + ".dlq", 3);
        var registry = await fixture.SharedRegistryAsync();
        var orders = new OrdersSetup(topic, $"g-registry-{Guid.NewGuid():N}");

        using var host = await StartAsync(orders, registry.Url, kind);
        Assert.IsType<SchemaRegistryPayloadCodec>(host.Services.GetRequiredService<IPayloadCodec>());
        var used = await host.Services.GetRequiredService<SchemaRegistryProvider>().GetRegistryAsync();
        Assert.Equal(kind == RegistryClientKind.KafkaTyped ? typeof(SchemaRegistryClient) : typeof(KafkaTyped.SchemaRegistry.Confluent.ConfluentSchemaRegistryAdapter), used.GetType());

        var producer = host.Services.GetRequiredService<OrderProducer>();
        await producer.ProduceAsync(new OrderPlaced { OrderId = "o-1", AmountCents = 1250 });
        await producer.ProduceAsync(new OrderCancelled { OrderId = "o-1", Reason = "changed mind" });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (orders.Handled.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await host.StopAsync();
        Assert.Equal(["placed o-1 1250", "cancelled o-1 changed mind"], orders.Handled);

        var client = await fixture.SharedRegistryClientAsync();
        var latest = await client.GetLatestSchemaAsync(topic + "-value");
        var records = RawKafka.ReadAll(fixture, topic, 3, 2, TimeSpan.FromSeconds(20)).OrderBy(r => r.Offset.Value).ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(0, r.Message.Value[0]));
        Assert.All(records, r => Assert.Equal(latest.Id, BinaryPrimitives.ReadInt32BigEndian(r.Message.Value.AsSpan(1, 4))));
        Assert.Equal("o-1", System.Text.Encoding.UTF8.GetString(records[0].Message.Key));
    }

    [Fact]
    public async Task A_value_with_a_schema_id_the_registry_does_not_know_goes_to_the_dead_letter_topic()
    {
        var topic = fixture.NewTopic("registry-unknown-id", 3);
        fixture.Cluster.CreateTopic(topic + ".dlq", 3);
        var registry = await fixture.SharedRegistryAsync();
        var orders = new OrdersSetup(topic, $"g-registry-{Guid.NewGuid():N}");
        using var host = await StartAsync(orders, registry.Url);

        using (var raw = new ProducerBuilder<byte[], byte[]>(fixture.ProducerConfig()).Build())
        {
            // Schema id 999999, message index [0], then a valid OrderPlaced payload.
            byte[] value = [0, 0x00, 0x0F, 0x42, 0x3F, 0, .. new OrderPlaced { OrderId = "x" }.ToByteArray()];
            await raw.ProduceAsync(topic, new Message<byte[], byte[]> { Key = "x"u8.ToArray(), Value = value });
        }

        await host.Services.GetRequiredService<OrderProducer>().ProduceAsync(new OrderPlaced { OrderId = "after", AmountCents = 1 });
        var dead = Assert.Single(RawKafka.ReadAll(fixture, topic + ".dlq", 3, 1, TimeSpan.FromSeconds(30)));
        Assert.Equal(typeof(MessageDeserializationException).FullName, RawKafka.Header(dead, DeadLetterHeaders.ExceptionType));
        Assert.Contains("999999", RawKafka.Header(dead, DeadLetterHeaders.ExceptionMessage));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (orders.Handled.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await host.StopAsync();
        Assert.Equal(["placed after 1"], orders.Handled);
    }

    private async Task<IHost> StartAsync(OrdersSetup orders, string registryUrl, RegistryClientKind kind = RegistryClientKind.KafkaTyped)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:BootstrapServers"] = fixture.BootstrapServers,
            ["KafkaTyped:SchemaRegistry:Urls:0"] = registryUrl,
            [$"KafkaTyped:Consumers:{orders.Group}:CommitInterval"] = "00:00:00.200",
        });
        builder.Logging.ClearProviders();
        builder.Services.AddKafkaTypedRegistryFraming(builder.Configuration);
        RegistryTestHelpers.UseClient(builder.Services, kind, registryUrl);
        builder.Services.AddSingleton(orders);
        builder.Services.AddScoped<OrderHandler>();
        builder.Services.AddKafkaTypedProducer<OrderProducer, OrderProducer>();
        builder.Services.AddKafkaTypedConsumer<OrderDispatcher>();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The message set as the generator would emit it (its file is the protoc-compiled consume_events.proto).</summary>
    public sealed class OrdersSet(string topic) : MessageSetDefinition
    {
        /// <summary>The text of Proto/consume_events.proto.</summary>
        private const string ProtoText = """
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
            """;

        private static readonly ProtoFile Proto = new(
            ConsumeEventsReflection.Descriptor.Name,
            ConsumeEventsReflection.Descriptor.Package,
            ProtoText,
            ConsumeEventsReflection.Descriptor.SerializedData.ToByteArray(),
            []);

        public override string Topic { get; } = topic;

        public override int Partitions => 3;

        public override ProtoFile File => Proto;

        public override IReadOnlyList<string> MessageNames { get; } = ["kafkatyped.tests.consuming.OrderPlaced", "kafkatyped.tests.consuming.OrderCancelled"];
    }

    public sealed class OrdersSetup(string topic, string group)
    {
        public OrdersSet Set { get; } = new(topic);

        public string Group { get; } = group;

        public ConcurrentQueue<string> Handled { get; } = new();
    }

    public sealed class OrderHandler(OrdersSetup setup) : IHandle<OrderPlaced>, IHandle<OrderCancelled>
    {
        public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
        {
            setup.Handled.Enqueue($"placed {message.OrderId} {message.AmountCents}");
            return default;
        }

        public ValueTask HandleAsync(OrderCancelled message, MessageContext context, CancellationToken cancellationToken)
        {
            setup.Handled.Enqueue($"cancelled {message.OrderId} {message.Reason}");
            return default;
        }
    }

    /// <summary>As generated: the key is the [Key] property (here order_id).</summary>
    public sealed class OrderProducer : TypedProducer
    {
        private readonly MessageSender<string, OrderPlaced> placed;
        private readonly MessageSender<string, OrderCancelled> cancelled;

        public OrderProducer(ProducerServices services, OrdersSetup setup)
            : base(services, setup.Set)
        {
            placed = CreateSender<string, OrderPlaced>(0);
            cancelled = CreateSender<string, OrderCancelled>(1);
        }

        public ValueTask<DeliveryResult<string, OrderPlaced>> ProduceAsync(OrderPlaced message, CancellationToken cancellationToken = default) =>
            placed.ProduceAsync(message.OrderId, message, null, default, cancellationToken);

        public ValueTask<DeliveryResult<string, OrderCancelled>> ProduceAsync(OrderCancelled message, CancellationToken cancellationToken = default) =>
            cancelled.ProduceAsync(message.OrderId, message, null, default, cancellationToken);
    }

    /// <summary>As generated.</summary>
    public sealed class OrderDispatcher(IPayloadCodec codec, OrdersSetup setup) : ConsumerGroupDispatcher(codec)
    {
        private readonly MessageSetDefinition[] topics = [setup.Set];

        public override string GroupId => setup.Group;

        public override IReadOnlyList<MessageSetDefinition> Topics => topics;

        public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
        {
            var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
            switch (topicIndex)
            {
                case 0:
                    switch (messageIndex)
                    {
                        case 0: return services.GetRequiredService<OrderHandler>().HandleAsync(Parse(OrderPlaced.Parser, payload, record), context, cancellationToken);
                        case 1: return services.GetRequiredService<OrderHandler>().HandleAsync(Parse(OrderCancelled.Parser, payload, record), context, cancellationToken);
                    }

                    break;
            }

            return Unhandled(record, topicIndex, messageIndex);
        }
    }
}
