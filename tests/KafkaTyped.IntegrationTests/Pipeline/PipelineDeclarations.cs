using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;

namespace KafkaTyped.IntegrationTests.Pipeline;

// What a user writes for issue 18 items 4 and 5: a handled topic with interceptors around it, and topics with their own
// acknowledgements and partitioners. Everything else is generated (dispatcher, producers, AddKafkaTyped with the
// topics' TopicDeclaration registrations).

[Topic("pipeline-orders", Partitions = 4)]
public partial interface IPipelineEvents;

/// <summary>OrderId prefixes steer the test handler and interceptors: <c>fail-</c> throws, <c>skip-</c> is short-circuited.</summary>
[KafkaMessage]
public sealed partial record PipelineOrder([Field(1), Key] string OrderId, [Field(2)] int Step) : IPipelineEvents;

[ConsumerGroup("pipeline-orders-group")]
public sealed partial class PipelineHandler(PipelineJournal journal) : IHandle<PipelineOrder>
{
    public ValueTask HandleAsync(PipelineOrder message, MessageContext context, CancellationToken cancellationToken)
    {
        journal.Add(message.OrderId, "handler", context);
        return message.OrderId.StartsWith("fail-", StringComparison.Ordinal)
            ? throw new InvalidOperationException("handler failed for " + message.OrderId)
            : default;
    }
}

[Topic("pipeline-acks-none", Partitions = 3, Acks = TopicAcks.None)]
public partial interface IAcksNoneEvents;

[KafkaMessage]
public sealed partial record AcksNoneReading([Field(1), Key] string Id, [Field(2)] int Value) : IAcksNoneEvents;

[Topic("pipeline-acks-leader", Partitions = 3, Acks = TopicAcks.Leader)]
public partial interface IAcksLeaderEvents;

[KafkaMessage]
public sealed partial record AcksLeaderReading([Field(1), Key] string Id, [Field(2)] int Value) : IAcksLeaderEvents;

[Topic("pipeline-acks-all", Partitions = 3, Acks = TopicAcks.All, EnableIdempotence = true)]
public partial interface IAcksAllEvents;

[KafkaMessage]
public sealed partial record AcksAllReading([Field(1), Key] string Id, [Field(2)] int Value) : IAcksAllEvents;

[Topic("pipeline-murmur2", Partitions = 6, Partitioner = TopicPartitioner.Murmur2)]
public partial interface IMurmur2Events;

[KafkaMessage]
public sealed partial record Murmur2Keyed([Field(1), Key] string Id) : IMurmur2Events;

[Topic("pipeline-consistent", Partitions = 6, Partitioner = TopicPartitioner.ConsistentRandom)]
public partial interface IConsistentEvents;

[KafkaMessage]
public sealed partial record ConsistentKeyed([Field(1), Key] string Id) : IConsistentEvents;

[Topic("pipeline-random", Partitions = 6, Partitioner = TopicPartitioner.Random)]
public partial interface IRandomEvents;

[KafkaMessage]
public sealed partial record RandomKeyed([Field(1), Key] string Id) : IRandomEvents;

/// <summary>Declared consistent_random; the tests' configuration switches it to murmur2 (configuration wins).</summary>
[Topic("pipeline-override", Partitions = 6, Partitioner = TopicPartitioner.ConsistentRandom)]
public partial interface IOverrideEvents;

[KafkaMessage]
public sealed partial record OverrideKeyed([Field(1), Key] string Id) : IOverrideEvents;

/// <summary>What interceptors and the handler saw, per order id, in order (a singleton the tests register).</summary>
public sealed class PipelineJournal
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JournalEntry>> entries = new(StringComparer.Ordinal);

    public void Add(string orderId, string step, MessageContext context) =>
        entries.GetOrAdd(orderId, static _ => new()).Enqueue(new JournalEntry(step, context.Attempt, context.Partition, context.Offset, Header(context.Headers, "x-tenant")));

    public IReadOnlyList<JournalEntry> Of(string orderId) => entries.TryGetValue(orderId, out var queue) ? [.. queue] : [];

    public async Task<IReadOnlyList<JournalEntry>> WaitForAsync(string orderId, Func<IReadOnlyList<JournalEntry>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var seen = Of(orderId);
            if (done(seen))
            {
                return seen;
            }

            await Task.Delay(50);
        }

        return Of(orderId);
    }

    private static string? Header(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;
}

public sealed record JournalEntry(string Step, int Attempt, int Partition, long Offset, string? Tenant);

/// <summary>An open generic interceptor, registered first: the outermost for every handled type.</summary>
public sealed class OuterInterceptor<TMessage>(PipelineJournal journal) : IConsumeInterceptor<TMessage>
    where TMessage : class
{
    public async ValueTask InterceptAsync(TMessage message, MessageContext context, ConsumeNext<TMessage> next, CancellationToken cancellationToken)
    {
        var id = (message as PipelineOrder)?.OrderId ?? "?";
        journal.Add(id, "outer:before", context);
        try
        {
            await next.InvokeAsync(message, context, cancellationToken);
            journal.Add(id, "outer:after", context);
        }
        catch (Exception)
        {
            journal.Add(id, "outer:exception", context);
            throw;
        }
    }
}

/// <summary>A per-type interceptor (scoped), registered second; skips the handler for <c>skip-</c> orders.</summary>
public sealed class OrderInterceptor(PipelineJournal journal) : IConsumeInterceptor<PipelineOrder>
{
    public async ValueTask InterceptAsync(PipelineOrder message, MessageContext context, ConsumeNext<PipelineOrder> next, CancellationToken cancellationToken)
    {
        journal.Add(message.OrderId, "order:before", context);
        if (message.OrderId.StartsWith("skip-", StringComparison.Ordinal))
        {
            journal.Add(message.OrderId, "order:skipped", context);
            return;
        }

        try
        {
            await next.InvokeAsync(message, context, cancellationToken);
            journal.Add(message.OrderId, "order:after", context);
        }
        catch (InvalidOperationException)
        {
            journal.Add(message.OrderId, "order:exception", context);
            throw;
        }
    }
}

/// <summary>Adds a tenant header to every send and remembers each outcome.</summary>
public sealed class TenantHeaderInterceptor : IProduceInterceptor<PipelineOrder>
{
    public ConcurrentQueue<(string OrderId, string Step, int Partition, long Offset, bool Failed)> Seen { get; } = new();

    public void OnProduce(PipelineOrder message, ProduceContext context)
    {
        context.Headers.Add("x-tenant", Encoding.UTF8.GetBytes("tenant-" + message.Step));
        Seen.Enqueue((message.OrderId, "produce", context.Partition, context.Offset, false));
    }

    public void OnDelivered(PipelineOrder message, ProduceContext context) =>
        Seen.Enqueue((message.OrderId, "delivered", context.Partition, context.Offset, context.Exception is not null || context.Error.IsError));
}
