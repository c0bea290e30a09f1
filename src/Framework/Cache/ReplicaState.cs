using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Cache;

/// <summary>
/// The local replica of a cache: its entries, how far each partition was applied (read-your-writes), the ready gate,
/// and the change notifications (<see cref="Changed"/> and the watchers' channels).
/// </summary>
/// <remarks>
/// Written by the lanes of the replica's readers (one per partition, so one key is always applied by one lane, in
/// order) and read by anyone: lookups are lock-free.
/// </remarks>
internal sealed class ReplicaState<TKey, TValue>(string topic, ILogger logger)
    where TKey : notnull
    where TValue : class
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object subscribersGate = new();
    private Channel<CacheChange<TKey, TValue>>[] subscribers = [];
    private long[] endOffsets = [];
    private int[] caughtUp = [];
    private int partitionsBehind;

    public ConcurrentDictionary<TKey, TValue> Entries { get; private set; } = new();

    public ReadYourWritesWaiters Waiters { get; } = new();

    public Task Ready => ready.Task;

    public event Action<CacheChange<TKey, TValue>>? Changed;

    /// <summary>Sizes the replica for the records to replay and records what "caught up" means per partition.</summary>
    public void Prepare(Dictionary<int, long> ends, long records, int concurrency)
    {
        // Sized for the records to replay (an upper bound of the keys), so bootstrap never rehashes a large table.
        Entries = new ConcurrentDictionary<TKey, TValue>(Math.Max(Environment.ProcessorCount, concurrency), (int)Math.Min(records, 4_000_000));
        var size = ends.Count == 0 ? 1 : ends.Keys.Max() + 1;
        endOffsets = new long[size];
        caughtUp = new int[size];
        foreach (var (partition, end) in ends)
        {
            endOffsets[partition] = end;
        }

        Waiters.Initialize(size);
        partitionsBehind = ends.Count(static pair => pair.Value > 0);
        if (partitionsBehind == 0)
        {
            BecomeReady();
        }
    }

    /// <summary>A lane reached the end of its partition: the partition is caught up once that end is past the start's end offset.</summary>
    public void EndOfPartition(int partition, long offset)
    {
        // Lanes of different partitions call this concurrently; each partition counts once.
        if ((uint)partition < (uint)endOffsets.Length && endOffsets[partition] > 0 && offset >= endOffsets[partition]
            && Interlocked.Exchange(ref caughtUp[partition], 1) == 0 && Interlocked.Decrement(ref partitionsBehind) == 0)
        {
            BecomeReady();
        }
    }

    public void Set(TKey key, TValue value, CacheOperationKind kind, int partition, long offset)
    {
        Entries[key] = value;
        Publish(new CacheChange<TKey, TValue>(kind, key, value, partition, offset));
    }

    public void Remove(TKey key, int partition, long offset)
    {
        // Absent already: the tombstone after a Deleted record, or a delete of an absent key.
        if (Entries.TryRemove(key, out _))
        {
            Publish(new CacheChange<TKey, TValue>(CacheOperationKind.Deleted, key, null, partition, offset));
        }
    }

    public async IAsyncEnumerable<CacheChange<TKey, TValue>> WatchAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Several lanes write (one per partition).
        var channel = Channel.CreateUnbounded<CacheChange<TKey, TValue>>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = true });
        lock (subscribersGate)
        {
            subscribers = [.. subscribers, channel];
        }

        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            lock (subscribersGate)
            {
                subscribers = Array.FindAll(subscribers, s => s != channel);
            }
        }
    }

    /// <summary>The cache stops: writers waiting for their record fail, watchers end, readiness is cancelled.</summary>
    public void Stop(Exception reason)
    {
        Waiters.FailAll(reason);
        ready.TrySetCanceled();
        lock (subscribersGate)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryComplete();
            }
        }
    }

    private void BecomeReady()
    {
        CacheLog.Ready(logger, topic, Entries.Count);
        ready.TrySetResult();
    }

    private void Publish(CacheChange<TKey, TValue> change)
    {
        foreach (var subscriber in Volatile.Read(ref subscribers))
        {
            subscriber.Writer.TryWrite(change);
        }

        try
        {
            Changed?.Invoke(change);
        }
        catch (Exception error)
        {
            CacheLog.ChangeHandlerFailed(logger, topic, error);
        }
    }
}
