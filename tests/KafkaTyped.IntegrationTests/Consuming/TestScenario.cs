using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;
using ProtoTimestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

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

    public override MessageParser? ParserOf(int messageIndex) => messageIndex switch
    {
        0 => StringValue.Parser,
        1 => Int64Value.Parser,
        2 => ProtoTimestamp.Parser,
        _ => null,
    };
}

/// <summary>One handled message as the recording handler saw it.</summary>
/// <remarks><see cref="HandlerInstance"/> numbers the handler objects: equal numbers mean one DI scope served both calls.</remarks>
public sealed record Handled(string Kind, string? Key, IMessage Message, int Partition, long Offset, int Attempt, string? TraceId, MessageContext Context, string Host, int HandlerInstance);

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

    /// <summary>A second topic the group reads too, with the same message types; null for a group of one topic.</summary>
    public TestMessageSet? SecondSet { get; init; }

    public ConcurrentQueue<Handled> Log { get; } = new();

    private int count;

    public int Count => Volatile.Read(ref count);

    /// <summary>Runs when the DI container disposes a handler (when its scope ends); throw to make the disposal fail.</summary>
    public Action? OnHandlerDisposed { get; set; }

    /// <summary>Runs inside every handler call before it is recorded; throw to fail the attempt.</summary>
    public Func<Handled, CancellationToken, ValueTask>? Behavior { get; set; }

    public async ValueTask OnHandledAsync(string kind, IMessage message, MessageContext context, string host, int handlerInstance, CancellationToken cancellationToken)
    {
        var key = context.Key.IsEmpty ? null : Encoding.UTF8.GetString(context.Key.Span);
        var handled = new Handled(kind, key, message, context.Partition, context.Offset, context.Attempt, System.Diagnostics.Activity.Current?.TraceId.ToHexString(), context, host, handlerInstance);
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
public sealed class RecordingHandler(TestScenario scenario, HostIdentity host) : IHandle<StringValue>, IHandle<Int64Value>, IHandle<ProtoTimestamp>, IDisposable
{
    private static int instances;

    // Registered scoped: one instance per DI scope.
    private readonly int instance = Interlocked.Increment(ref instances);

    public ValueTask HandleAsync(StringValue message, MessageContext context, CancellationToken cancellationToken) =>
        scenario.OnHandledAsync("string", message, context, host.Name, instance, cancellationToken);

    public ValueTask HandleAsync(Int64Value message, MessageContext context, CancellationToken cancellationToken) =>
        scenario.OnHandledAsync("int64", message, context, host.Name, instance, cancellationToken);

    public ValueTask HandleAsync(ProtoTimestamp message, MessageContext context, CancellationToken cancellationToken) =>
        scenario.OnHandledAsync("timestamp", message, context, host.Name, instance, cancellationToken);

    public void Dispose() => scenario.OnHandlerDisposed?.Invoke();
}

/// <summary>The group's dispatcher, written by hand exactly as the generator emits it for <see cref="RecordingHandler"/>.</summary>
public sealed class TestDispatcher : ConsumerGroupDispatcher
{
    private readonly MessageSetDefinition[] topics;

    public TestDispatcher(IPayloadCodec codec, TestScenario scenario)
        : base(codec)
    {
        GroupId = scenario.GroupId;
        topics = scenario.SecondSet is { } second ? [scenario.Set, second] : [scenario.Set];
    }

    public override string GroupId { get; }

    public override IReadOnlyList<MessageSetDefinition> Topics => topics;

    public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
        switch (topicIndex)
        {
            case 0:
            case 1:
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
public sealed class TestEventsProducer : TypedProducer
{
    private readonly MessageSender<string, StringValue> text;
    private readonly MessageSender<string, Int64Value> number;
    private readonly MessageSender<string, ProtoTimestamp> time;

    public TestEventsProducer(ProducerServices services, TestScenario scenario)
        : base(services, scenario.Set)
    {
        text = CreateSender<string, StringValue>(0);
        number = CreateSender<string, Int64Value>(1);
        time = CreateSender<string, ProtoTimestamp>(2);
    }

    public ValueTask<DeliveryResult<string, StringValue>> ProduceAsync(StringValue message, string? key, Headers? headers = null, Confluent.Kafka.Timestamp timestamp = default, CancellationToken cancellationToken = default) =>
        text.ProduceAsync(key!, message, headers, timestamp, cancellationToken);

    public ValueTask<DeliveryResult<string, Int64Value>> ProduceAsync(Int64Value message, string? key, Headers? headers = null, Confluent.Kafka.Timestamp timestamp = default, CancellationToken cancellationToken = default) =>
        number.ProduceAsync(key!, message, headers, timestamp, cancellationToken);

    public ValueTask<DeliveryResult<string, ProtoTimestamp>> ProduceAsync(ProtoTimestamp message, string? key, Headers? headers = null, Confluent.Kafka.Timestamp timestamp = default, CancellationToken cancellationToken = default) =>
        time.ProduceAsync(key!, message, headers, timestamp, cancellationToken);

    public void Produce(StringValue message, string? key, Action<DeliveryReport<string, StringValue>>? deliveryHandler = null, Headers? headers = null, Confluent.Kafka.Timestamp timestamp = default) =>
        text.Produce(key!, message, deliveryHandler, headers, timestamp);

    public void Produce(Int64Value message, string? key, Action<DeliveryReport<string, Int64Value>>? deliveryHandler = null, Headers? headers = null, Confluent.Kafka.Timestamp timestamp = default) =>
        number.Produce(key!, message, deliveryHandler, headers, timestamp);
}
