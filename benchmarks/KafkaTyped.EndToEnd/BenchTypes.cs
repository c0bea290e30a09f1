using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using KafkaTyped.Protobuf;
using KafkaTyped.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.EndToEnd;

/// <summary>A one-member message set (BytesValue), as the generator emits it; the topic varies per run.</summary>
internal sealed class BenchSet(string topic) : MessageSetDefinition
{
    private static readonly ProtoFile Proto = new("bench/bench.proto", "bench", "syntax = \"proto3\";", [], []);

    public override string Topic { get; } = topic;

    public override int Partitions => 6;

    public override ProtoFile File => Proto;

    public override IReadOnlyList<string> MessageNames { get; } = ["google.protobuf.BytesValue"];
}

/// <summary>Which topic the typed side runs on.</summary>
internal sealed class BenchTarget(string topic, string group)
{
    public BenchSet Set { get; } = new(topic);

    public string Group { get; } = group;

    public int Handled;
}

/// <summary>The typed producer as generated: the key comes from the message (here the run's counter).</summary>
internal sealed class BenchProducer : TypedProducer
{
    private readonly MessageSender<int, BytesValue> sender;

    public BenchProducer(ProducerServices services, BenchTarget target)
        : base(services, target.Set)
    {
        sender = CreateSender<int, BytesValue>(0);
    }

    public void Produce(BytesValue message, int key, Action<DeliveryReport<int, BytesValue>>? deliveryHandler) =>
        sender.Produce(key, message, deliveryHandler, null, default);
}

/// <summary>A no-op handler.</summary>
internal sealed class NoOpHandler(BenchTarget target) : IHandle<BytesValue>
{
    public ValueTask HandleAsync(BytesValue message, MessageContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref target.Handled);
        return default;
    }
}

/// <summary>The dispatcher as generated.</summary>
internal sealed class BenchDispatcher : ConsumerGroupDispatcher
{
    private readonly MessageSetDefinition[] topics;

    public BenchDispatcher(IPayloadCodec codec, BenchTarget target)
        : base(codec)
    {
        GroupId = target.Group;
        topics = [target.Set];
    }

    public override string GroupId { get; }

    public override IReadOnlyList<MessageSetDefinition> Topics => topics;

    public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
        switch (topicIndex)
        {
            case 0:
                switch (messageIndex)
                {
                    case 0: return services.GetRequiredService<NoOpHandler>().HandleAsync(Parse(BytesValue.Parser, payload, record), context, cancellationToken);
                }

                break;
        }

        return Unhandled(record, topicIndex, messageIndex);
    }
}
