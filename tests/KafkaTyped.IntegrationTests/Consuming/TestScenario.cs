using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using KafkaTyped.Protobuf;
using KafkaTyped.Serialization;
using Microsoft.Extensions.DependencyInjection;
using ProtoTimestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>
/// A message set of three well-known Protobuf types on one topic, written by hand exactly as the generator emits a set
/// (the topic name is a constructor argument so each test gets a fresh topic).
/// </summary>
public sealed class TestMessageSet(string topic, int partitions = 6) : MessageSetDefinition
{
    private static readonly ProtoFile ProtoFile = new(
        "kafkatyped/tests/test_events.proto",
        "kafkatyped.tests",
        "syntax = \"proto3\";\npackage kafkatyped.tests;\n",
        [],
        []);

    public override string Topic { get; } = topic;

    public override int Partitions { get; } = partitions;

    public override ProtoFile File => ProtoFile;

    public override IReadOnlyList<string> MessageNames { get; } = ["google.protobuf.StringValue", "google.protobuf.Int64Value", "google.protobuf.Timestamp"];
}

/// <summary>One handled message as the recording handler saw it.</summary>
public sealed record Handled(string Kind, string? Key, IMessage Message, int Partition, long Offset, int Attempt, string? TraceId, MessageContext Context, string Host);

/// <summary>Names the application instance (host) a handler runs in.</summary>
public sealed record HostIdentity(string Name);

/// <summary>Shared by every host of a test: the group, the set, what handlers saw, and how handlers behave.</summary>
public sealed class TestScenario
{
    public TestScenario(string groupId, TestMessageSet set)
    {
        GroupId = groupId;
        Set = set;
    }

    public string GroupId { get; }

    public TestMessageSet Set { get; }

    public ConcurrentQueue<Handled> Log { get; } = new();

    private int count;

    public int Count => Volatile.Read(ref count);

    /// <summary>Runs inside every handler call before it is recorded; throw to fail the attempt.</summary>
    public Func<Handled, CancellationToken, ValueTask>? Behavior { get; set; }

    public async ValueTask OnHandledAsync(string kind, IMessage message, MessageContext context, string host, CancellationToken cancellationToken)
    {
        var key = context.Key.IsEmpty ? null : Encoding.UTF8.GetString(context.Key.Span);
        var handled = new Handled(kind, key, message, context.Partition, context.Offset, context.Attempt, System.Diagnostics.Activity.Current?.TraceId.ToHexString(), context, host);
        if (Behavior is { } behavior)
        {
            await behavior(handled, cancellationToken);
        }

        Log.Enqueue(handled);
        Interlocked.Increment(ref count);
    }

    public async Task WaitForCountAsync(int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count < expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Handled {Count} of {expected} messages within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>The handler class of the group: what a user writes with <c>[ConsumerGroup]</c>.</summary>
public sealed class RecordingHandler(TestScenario scenario, HostIdentity host) : IHandle<StringValue>, IHandle<Int64Value>, IHandle<ProtoTimestamp>
{
    public ValueTask HandleAsync(StringValue message, MessageContext context, CancellationToken cancellationToken) =>
        scenario.OnHandledAsync("string", message, context, host.Name, cancellationToken);

    public ValueTask HandleAsync(Int64Value message, MessageContext context, CancellationToken cancellationToken) =>
        scenario.OnHandledAsync("int64", message, context, host.Name, cancellationToken);

    public ValueTask HandleAsync(ProtoTimestamp message, MessageContext context, CancellationToken cancellationToken) =>
        scenario.OnHandledAsync("timestamp", message, context, host.Name, cancellationToken);
}

/// <summary>The group's dispatcher, written by hand exactly as the generator emits it for <see cref="RecordingHandler"/>.</summary>
public sealed class TestDispatcher : ConsumerGroupDispatcher
{
    private readonly MessageSetDefinition[] topics;

    public TestDispatcher(IPayloadCodec codec, TestScenario scenario)
        : base(codec)
    {
        GroupId = scenario.GroupId;
        topics = [scenario.Set];
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
                    case 0: return services.GetRequiredService<RecordingHandler>().HandleAsync(Parse(StringValue.Parser, payload, record), context, cancellationToken);
                    case 1: return services.GetRequiredService<RecordingHandler>().HandleAsync(Parse(Int64Value.Parser, payload, record), context, cancellationToken);
                    case 2: return services.GetRequiredService<RecordingHandler>().HandleAsync(Parse(ProtoTimestamp.Parser, payload, record), context, cancellationToken);
                }

                break;
        }

        return Unhandled(record, topicIndex, messageIndex);
    }
}

/// <summary>The set's typed producer, written by hand as the generator emits it (the key is a parameter because well-known types have no [Key]).</summary>
public sealed class TestEventsProducer(ProducerServices services, TestScenario scenario) : TypedProducer(services, scenario.Set)
{
    public ValueTask<DeliveryResult<byte[], byte[]>> ProduceAsync(StringValue message, string? key, Headers? headers = null, Confluent.Kafka.Timestamp timestamp = default, CancellationToken cancellationToken = default) =>
        ProduceAsync(message, 0, KafkaKeys.Utf8(key), headers, timestamp, cancellationToken);

    public ValueTask<DeliveryResult<byte[], byte[]>> ProduceAsync(Int64Value message, string? key, Headers? headers = null, Confluent.Kafka.Timestamp timestamp = default, CancellationToken cancellationToken = default) =>
        ProduceAsync(message, 1, KafkaKeys.Utf8(key), headers, timestamp, cancellationToken);

    public ValueTask<DeliveryResult<byte[], byte[]>> ProduceAsync(ProtoTimestamp message, string? key, Headers? headers = null, Confluent.Kafka.Timestamp timestamp = default, CancellationToken cancellationToken = default) =>
        ProduceAsync(message, 2, KafkaKeys.Utf8(key), headers, timestamp, cancellationToken);

    public void Produce(StringValue message, string? key, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null, Headers? headers = null, Confluent.Kafka.Timestamp timestamp = default) =>
        Produce(message, 0, KafkaKeys.Utf8(key), headers, timestamp, deliveryHandler);

    public void ProduceUnencodedKey(StringValue message, string? key, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null) =>
        Produce(message, 0, ProducerKey.Utf8(key), null, default, deliveryHandler);

    public void Produce(Int64Value message, string? key, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null, Headers? headers = null, Confluent.Kafka.Timestamp timestamp = default) =>
        Produce(message, 1, KafkaKeys.Utf8(key), headers, timestamp, deliveryHandler);
}
