using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Native;
using KafkaTyped.Protobuf;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaTyped.Cache;

/// <summary>
/// A cache replicated to every instance through a Kafka topic: every instance holds the full replica, reads are local
/// and lock-free, writes go through Kafka and return once the local replica applied them (read-your-writes).
/// </summary>
/// <typeparam name="TKey">The key: string, int, long or Guid (the Kafka key, so per-key order is partition order).</typeparam>
/// <typeparam name="TValue">The value: a Protobuf message (a <c>[KafkaMessage]</c> record).</typeparam>
/// <remarks>
/// <para><b>Log semantics.</b> Every record is a full value (<c>Added</c>, <c>Updated</c>) or a deletion (<c>Deleted</c>
/// followed by a tombstone), never a delta, so the state is a function of the last record per key: replaying the
/// compacted log gives the same state as replaying the full log.</para>
/// <para><b>Conditional writes</b> (<see cref="AddAsync"/> only if absent, <see cref="UpdateAsync"/> only if present)
/// are decided against the local replica at write time. With several concurrent writers the last record per key
/// wins; for strict conditions route a key's writes through one instance.</para>
/// <para><b>Reading.</b> The replica reads all partitions by assignment (no consumer group, no commits): first up to
/// the end offsets captured at start (<see cref="WaitUntilReadyAsync"/>), then live changes. The partitions are split
/// among <see cref="ReplicatedCacheSettings.Readers"/> consumers, each with its own thread, so each partition (and so
/// each key) is always applied by the same thread, in order. A restarted instance rebuilds the same state from the
/// topic.</para>
/// <para>Thread-safe. Values are shared with all readers: treat them as immutable.</para>
/// </remarks>
public abstract class ReplicatedCache<TKey, TValue> : IReplicatedCacheStatus, IAsyncDisposable, IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
    where TValue : class, IMessage<TValue>, new()
{
    private readonly ReplicatedCacheSettings settings;
    private readonly ILogger logger;
    private ConcurrentDictionary<TKey, TValue> entries = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private readonly ReadYourWritesWaiters waiters = new();
    private readonly object subscribersGate = new();
    private Channel<CacheChange<TKey, TValue>>[] subscribers = [];
    private IProducer<byte[], byte[]?>? producer;
    private Thread[] readers = [];
    private int partitionsBehind;
    private RegisteredMessageSet? registered;
    private MessageIndexResolver? resolver;
    private int started;
    private int disposed;

    /// <summary>Creates the cache; call <see cref="StartAsync"/> (the hosting integration does) before use.</summary>
    protected ReplicatedCache(ReplicatedCacheSettings settings, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!CacheKeyCodec<TKey>.IsSupported)
        {
            throw new NotSupportedException($"Cache keys of type {typeof(TKey)} have no defined encoding; use string, int, long or Guid.");
        }

        this.settings = settings;
        this.logger = logger ?? NullLogger.Instance;
        var set = CacheOperationsSet.For<TValue>(settings.Name ?? settings.Topic, settings.Topic, settings.Partitions);
        Schema = set.File;
        OperationSet = set;
    }

    /// <summary>The cache's topic.</summary>
    public string Topic => settings.Topic;

    /// <summary>The operation set's schema (Added, Updated, Deleted).</summary>
    public ProtoFile Schema { get; }

    /// <summary>The operation set (Added, Updated, Deleted on the cache's topic), for topic creation and other consumers.</summary>
    public MessageSetDefinition OperationSet { get; }

    /// <summary>The operation set as registered, once started.</summary>
    internal RegisteredMessageSet? Registered => registered;

    /// <summary>True once the replica caught up with the end offsets captured at start.</summary>
    public bool IsReady => ready.Task.IsCompletedSuccessfully;

    /// <summary>How many consumers read the topic (<see cref="ReplicatedCacheSettings.Readers"/>); 0 before <see cref="StartAsync"/>.</summary>
    public int ReaderCount => Volatile.Read(ref readers).Length;

    /// <summary>The number of entries in the local replica.</summary>
    public int Count => entries.Count;

    /// <summary>
    /// Raised after each change is applied, on the reader thread of the change's partition (changes of one key arrive in
    /// order; changes of different partitions may arrive concurrently). Keep handlers short.
    /// </summary>
    public event Action<CacheChange<TKey, TValue>>? Changed;

    /// <summary>Looks a key up in the local replica. Lock-free; allocates nothing.</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => entries.TryGetValue(key, out value);

    /// <summary>Enumerates the local replica; concurrent changes may or may not be seen.</summary>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Registers the schema, then starts reading the topic from the beginning; returns without waiting for readiness.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            return;
        }

        KafkaNativeLibrary.EnsureLoaded();
        var registry = settings.SchemaRegistry
            ?? (settings.ResolveSchemaRegistryAsync is { } resolve ? await resolve(cancellationToken).ConfigureAwait(false) : null)
            ?? throw new InvalidOperationException($"Cache '{Topic}' has no Schema Registry: set ReplicatedCacheSettings.SchemaRegistry or ResolveSchemaRegistryAsync.");
        registered = await new SchemaRegistration(registry, settings.SchemaRegistration).RegisterAsync(OperationSet, isKey: false, cancellationToken).ConfigureAwait(false);
        resolver = new MessageIndexResolver(registered, registry);

        var producerConfig = new ProducerConfig(new Dictionary<string, string>(settings.Producer, StringComparer.Ordinal))
        {
            EnableIdempotence = true,
            Acks = Acks.All,
        };
        producerConfig.LingerMs ??= 1;
        producer = new ProducerBuilder<byte[], byte[]?>(producerConfig).Build();

        var consumerConfig = new ConsumerConfig(new Dictionary<string, string>(settings.Consumer, StringComparer.Ordinal))
        {
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,

            // The replica needs key and value only: skipping the topic name, headers and timestamp saves allocations per record.
            ConsumeResultFields = "none",
        };

        var consumers = new List<IConsumer<byte[]?, byte[]?>>();
        try
        {
            // Asked through the producer's handle: this also connects the producer and learns the topic's leaders, so the
            // first write does not pay for it.
            var partitions = Partitions(producer.Handle);
            var readerCount = ChooseReaderCount(partitions.Count);
            for (var i = 0; i < readerCount; i++)
            {
                consumers.Add(new ConsumerBuilder<byte[]?, byte[]?>(ReaderConfig(consumerConfig)).Build());
            }

            var endOffsets = new Dictionary<int, long>();
            long records = 0;
            foreach (var partition in partitions)
            {
                var watermarks = consumers[0].QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(30));
                endOffsets[partition.Partition.Value] = watermarks.High.Value;
                records += watermarks.High.Value - watermarks.Low.Value;
            }

            // Sized for the records to replay (an upper bound of the keys), so bootstrap never rehashes a large table.
            entries = new ConcurrentDictionary<TKey, TValue>(Math.Max(Environment.ProcessorCount, readerCount), (int)Math.Min(records, 4_000_000));
            waiters.Initialize(partitions.Max(static p => p.Partition.Value) + 1);
            partitionsBehind = partitions.Count;
            var created = new Thread[readerCount];
            for (var i = 0; i < readerCount; i++)
            {
                // Round-robin, so that each reader gets partitions of every broker.
                var reader = i;
                var share = partitions.Where((_, index) => index % readerCount == reader).ToList();
                var consumer = consumers[i];
                consumer.Assign(share.Select(static p => new TopicPartitionOffset(p, Offset.Beginning)));
                var shareEnds = share.ToDictionary(static p => p.Partition.Value, p => endOffsets[p.Partition.Value]);
                created[i] = new Thread(() => ReadLoop(consumer, shareEnds)) { IsBackground = true, Name = $"KafkaTyped cache {Topic} #{i + 1}" };
            }

            readers = created;
            foreach (var thread in created)
            {
                thread.Start();
            }
        }
        catch
        {
            foreach (var consumer in consumers)
            {
                consumer.Dispose();
            }

            throw;
        }
    }

    /// <summary>Completes once the replica has applied everything that was in the topic when it started.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => ready.Task.WaitAsync(cancellationToken);

    /// <summary>Adds <paramref name="key"/> if the local replica does not hold it.</summary>
    /// <returns>False when the key was present (nothing is written).</returns>
    public async ValueTask<bool> AddAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (entries.ContainsKey(key))
        {
            return false;
        }

        await WriteAsync(key, CacheOperationKind.Added, value, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Replaces the value of <paramref name="key"/> if the local replica holds it.</summary>
    /// <returns>False when the key was absent (nothing is written).</returns>
    public async ValueTask<bool> UpdateAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!entries.ContainsKey(key))
        {
            return false;
        }

        await WriteAsync(key, CacheOperationKind.Updated, value, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Adds or replaces the value of <paramref name="key"/>.</summary>
    public ValueTask SetAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        var kind = entries.ContainsKey(key) ? CacheOperationKind.Updated : CacheOperationKind.Added;
        return WriteAsync(key, kind, value, cancellationToken);
    }

    /// <summary>Deletes <paramref name="key"/> if the local replica holds it: a <c>Deleted</c> record, then a tombstone.</summary>
    /// <returns>False when the key was absent (nothing is written).</returns>
    public async ValueTask<bool> DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        if (!entries.ContainsKey(key))
        {
            return false;
        }

        await WriteAsync(key, CacheOperationKind.Deleted, null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The changes applied from now on, until <paramref name="cancellationToken"/> fires or the cache stops.</summary>
    public async IAsyncEnumerable<CacheChange<TKey, TValue>> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Several reader threads write (one per partition share).
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

    /// <summary>Stops the reader and flushes the producer. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var thread in readers)
        {
            thread.Join();
        }

        producer?.Flush(TimeSpan.FromSeconds(10));
        producer?.Dispose();
        waiters.FailAll(new ObjectDisposedException(GetType().Name));
        ready.TrySetCanceled();
        lock (subscribersGate)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryComplete();
            }
        }

        stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    private async ValueTask WriteAsync(TKey key, CacheOperationKind kind, TValue? value, CancellationToken cancellationToken)
    {
        var activeProducer = producer;
        var set = registered;
        if (activeProducer is null || set is null)
        {
            throw new InvalidOperationException($"Start the cache '{Topic}' (StartAsync, or register it with AddReplicatedCache) before writing.");
        }

        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);

        var keyBytes = CacheKeyCodec<TKey>.Encode(key);
        var message = new Message<byte[], byte[]?> { Key = keyBytes, Value = CacheRecordFormat.Encode(set, kind, value) };
        var result = await activeProducer.ProduceAsync(Topic, message, cancellationToken).ConfigureAwait(false);
        if (kind == CacheOperationKind.Deleted)
        {
            // The tombstone lets compaction drop the key; the Deleted record before it tells readers (and other
            // consumer groups) what happened. Either one alone yields the same state: absent.
            result = await activeProducer.ProduceAsync(Topic, new Message<byte[], byte[]?> { Key = keyBytes, Value = null }, cancellationToken).ConfigureAwait(false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.WriteTimeout);
        try
        {
            await waiters.WaitAsync(result.Partition.Value, result.Offset.Value, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The write to cache '{Topic}' was acknowledged at {result.TopicPartitionOffset} but the local replica did not apply it within {settings.WriteTimeout}.");
        }
    }

    private List<TopicPartition> Partitions(Handle clientHandle)
    {
        using var admin = new DependentAdminClientBuilder(clientHandle).Build();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var topic = admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.FirstOrDefault();
            if (topic is { Error.IsError: false } && topic.Partitions.Count > 0)
            {
                return topic.Partitions.Select(p => new TopicPartition(Topic, p.PartitionId)).OrderBy(p => p.Partition.Value).ToList();
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The cache topic '{Topic}' has no partitions: {topic?.Error.Reason ?? "not found"}. Create it (compacted) before starting the cache.");
            }

            Thread.Sleep(100);
        }
    }

    private int ChooseReaderCount(int partitions)
    {
        var wanted = settings.Readers ?? Math.Min(Environment.ProcessorCount, 4);
        if (wanted < 1)
        {
            throw new InvalidOperationException($"Cache '{Topic}': Readers must be at least 1 (it is {wanted}); leave it null for one per processor.");
        }

        return Math.Clamp(wanted, 1, Math.Max(1, partitions));
    }

    private static ConsumerConfig ReaderConfig(ConsumerConfig shared)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(shared, StringComparer.Ordinal));

        // librdkafka wants a group id even for assign-only consumers; nothing is ever committed under it.
        config.GroupId ??= $"kafkatyped-cache-{Guid.NewGuid():N}";
        return config;
    }

    private void ReadLoop(IConsumer<byte[]?, byte[]?> consumer, Dictionary<int, long> endOffsets)
    {
        var behind = new HashSet<int>(endOffsets.Keys);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                ConsumeResult<byte[]?, byte[]?>? record;
                try
                {
                    record = consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException error)
                {
                    CacheLog.ConsumeFailed(logger, Topic, error.Error.Reason);
                    continue;
                }

                if (record is null)
                {
                    continue;
                }

                var partition = record.Partition.Value;
                if (record.IsPartitionEOF)
                {
                    if (record.Offset.Value >= endOffsets.GetValueOrDefault(partition) && behind.Remove(partition) && Interlocked.Decrement(ref partitionsBehind) == 0)
                    {
                        CacheLog.Ready(logger, Topic, entries.Count);
                        ready.TrySetResult();
                    }

                    continue;
                }

                Apply(record);
                waiters.Applied(partition, record.Offset.Value);
            }
        }
        finally
        {
            consumer.Close();
            consumer.Dispose();
        }
    }

    private void Apply(ConsumeResult<byte[]?, byte[]?> record)
    {
        var rawKey = record.Message.Key;
        if (rawKey is null)
        {
            CacheLog.SkippedRecord(logger, Topic, record.Partition.Value, record.Offset.Value, "it has no key");
            return;
        }

        TKey key;
        CacheOperationKind kind;
        TValue? value;
        try
        {
            key = CacheKeyCodec<TKey>.Decode(rawKey);
            if (record.Message.Value is { } bytes)
            {
                kind = DecodeWithRetry(bytes, record, out value);
            }
            else
            {
                kind = CacheOperationKind.Deleted;
                value = null;
            }
        }
        catch (Exception error) when (error is FormatException or InvalidProtocolBufferException or MessageFormatException)
        {
            // A record this replica cannot read changes nothing; the others still apply.
            CacheLog.SkippedRecord(logger, Topic, record.Partition.Value, record.Offset.Value, error.Message);
            return;
        }

        if (kind == CacheOperationKind.Deleted)
        {
            if (!entries.TryRemove(key, out _))
            {
                return; // the tombstone after a Deleted record, or a delete of an absent key
            }
        }
        else
        {
            entries[key] = value!;
        }

        Publish(new CacheChange<TKey, TValue>(kind, key, value, record.Partition.Value, record.Offset.Value));
    }

    private CacheOperationKind DecodeWithRetry(byte[] bytes, ConsumeResult<byte[]?, byte[]?> record, out TValue? value)
    {
        while (true)
        {
            try
            {
                return CacheRecordFormat.Decode(bytes, resolver!, Topic, record.Partition.Value, record.Offset.Value, out value);
            }
            catch (SchemaRegistryException error) when (!stopping.IsCancellationRequested)
            {
                // The registry is unreachable: skipping the record would lose it, so the replica waits and asks again.
                CacheLog.RegistryUnavailable(logger, Topic, record.Partition.Value, record.Offset.Value, error.Message);
                stopping.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
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
            CacheLog.ChangeHandlerFailed(logger, Topic, error);
        }
    }
}
