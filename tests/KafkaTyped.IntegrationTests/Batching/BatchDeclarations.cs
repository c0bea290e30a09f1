using System.Collections.Concurrent;

namespace KafkaTyped.IntegrationTests.Batching;

// What a user writes for batch handlers; the dispatchers (batch slots, batch switch) and producers are generated.
// One topic and group per scenario, so the tests never share offsets.

/// <summary>Batches bounded by count and time, mixed with a singly handled member.</summary>
[Topic("batch-flow", Partitions = 3)]
public partial interface IBatchFlow;

[KafkaMessage]
public sealed partial record FlowStep([Field(1), Key] string Key, [Field(2)] int Seq, [Field(3)] string Run) : IBatchFlow;

[KafkaMessage]
public sealed partial record FlowMark([Field(1), Key] string Key, [Field(2)] int Seq, [Field(3)] string Run) : IBatchFlow;

[ConsumerGroup("batch-flow")]
public sealed partial class FlowBatches(BatchProbe probe) : IHandleBatch<FlowStep>, IHandle<FlowMark>
{
    public ValueTask HandleAsync(MessageBatch<FlowStep> batch, CancellationToken cancellationToken) =>
        probe.HandleAsync(batch, static m => (m.Key, m.Seq, m.Run, false), cancellationToken);

    public ValueTask HandleAsync(FlowMark message, MessageContext context, CancellationToken cancellationToken) =>
        probe.HandleAsync(context.Topic, context.Partition, context.Attempt, [new BatchItem(message.Key, message.Seq, message.Run, context.Offset, false, Single: true)], cancellationToken);
}

/// <summary>Poison records found by splitting.</summary>
[Topic("batch-split", Partitions = 1)]
public partial interface IBatchSplit;

[KafkaMessage]
public sealed partial record SplitItem([Field(1), Key] string Key, [Field(2)] int Seq, [Field(3)] string Run, [Field(4)] bool Poison) : IBatchSplit;

[ConsumerGroup("batch-split")]
public sealed partial class SplitBatches(BatchProbe probe) : IHandleBatch<SplitItem>
{
    public ValueTask HandleAsync(MessageBatch<SplitItem> batch, CancellationToken cancellationToken) =>
        probe.HandleAsync(batch, static m => (m.Key, m.Seq, m.Run, m.Poison), cancellationToken);
}

/// <summary>A failing batch dead-lettered whole.</summary>
[Topic("batch-whole", Partitions = 1)]
public partial interface IBatchWhole;

[KafkaMessage]
public sealed partial record WholeItem([Field(1), Key] string Key, [Field(2)] int Seq, [Field(3)] string Run, [Field(4)] bool Poison) : IBatchWhole;

[ConsumerGroup("batch-whole")]
public sealed partial class WholeBatches(BatchProbe probe) : IHandleBatch<WholeItem>
{
    public ValueTask HandleAsync(MessageBatch<WholeItem> batch, CancellationToken cancellationToken) =>
        probe.HandleAsync(batch, static m => (m.Key, m.Seq, m.Run, m.Poison), cancellationToken);
}

/// <summary>Batches in flight while members join and leave.</summary>
[Topic("batch-move", Partitions = 4)]
public partial interface IBatchMove;

[KafkaMessage]
public sealed partial record MoveItem([Field(1), Key] string Key, [Field(2)] int Seq, [Field(3)] string Run) : IBatchMove;

[ConsumerGroup("batch-move")]
public sealed partial class MoveBatches(BatchProbe probe) : IHandleBatch<MoveItem>
{
    public ValueTask HandleAsync(MessageBatch<MoveItem> batch, CancellationToken cancellationToken) =>
        probe.HandleAsync(batch, static m => (m.Key, m.Seq, m.Run, false), cancellationToken);
}

public sealed record BatchItem(string Key, int Seq, string Run, long Offset, bool Poison, bool Single = false);

/// <summary>One handler call as the probe saw it; <see cref="Completed"/> once the handler returned normally.</summary>
public sealed record BatchCall(string Host, string Topic, int Partition, int Attempt, BatchItem[] Items)
{
    public bool Completed { get; set; }
}

/// <summary>
/// What the batch handlers of one host received (a singleton per host). A handler call throws when it holds a poison
/// record (before anything counts as handled), runs <see cref="Hook"/>, then records its items as handled.
/// </summary>
public sealed class BatchProbe(string host)
{
    private readonly ConcurrentQueue<BatchCall> calls = new();
    private static long stamps;
    private readonly ConcurrentQueue<(BatchItem Item, string Host, long Stamp)> handled = new();

    public string Host { get; } = host;

    public Func<BatchCall, CancellationToken, Task>? Hook { get; set; }

    public IReadOnlyCollection<BatchCall> Calls => calls;

    /// <summary>Items of calls that completed, in the order they completed; the stamp orders them across hosts too.</summary>
    public IReadOnlyCollection<(BatchItem Item, string Host, long Stamp)> Handled => handled;

    public ValueTask HandleAsync<T>(MessageBatch<T> batch, Func<T, (string Key, int Seq, string Run, bool Poison)> read, CancellationToken cancellationToken)
        where T : class
    {
        var items = new BatchItem[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var (key, seq, run, poison) = read(batch[i]);
            items[i] = new BatchItem(key, seq, run, batch.ContextAt(i).Offset, poison);
        }

        return HandleAsync(batch.Topic, batch.Partition, batch.Attempt, items, cancellationToken);
    }

    public async ValueTask HandleAsync(string topic, int partition, int attempt, BatchItem[] items, CancellationToken cancellationToken)
    {
        var call = new BatchCall(Host, topic, partition, attempt, items);
        calls.Enqueue(call);
        if (items.Any(i => i.Poison))
        {
            throw new InvalidOperationException($"poison record in a batch of {items.Length}");
        }

        if (Hook is { } hook)
        {
            await hook(call, cancellationToken);
        }

        foreach (var item in items)
        {
            handled.Enqueue((item, Host, Interlocked.Increment(ref stamps)));
        }

        call.Completed = true;
    }
}
