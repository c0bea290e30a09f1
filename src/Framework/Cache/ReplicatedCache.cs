using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

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
/// <para><b>One pipeline.</b> The cache runs on the application's KafkaTyped services: it writes through the shared
/// producer connection and frames with the shared codec (its operations are a message set registered like any
/// other), and it reads with the consumer engine in assignment mode (<see cref="ReplicaReader"/>): no group, no
/// commits, all partitions from the beginning, one lane per partition, so each key is applied in log order. The
/// partitions are split among <see cref="ReplicatedCacheSettings.Readers"/> consumers. A restarted instance rebuilds the
/// same state from the topic.</para>
/// <para>Thread-safe. Values are shared with all readers: treat them as immutable.</para>
/// </remarks>
public abstract class ReplicatedCache<TKey, TValue> : IReplicatedCacheStatus, IAsyncDisposable, IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
    where TValue : class, IMessage<TValue>, new()
{
    private readonly ReplicatedCacheSettings settings;
    private readonly ILogger logger;
    private readonly ReplicaState<TKey, TValue> state;
    private readonly CancellationTokenSource stopping = new();
    private CacheWriter<TKey, TValue>? writer;
    private ReplicaReader[] readers = [];
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
        state = new ReplicaState<TKey, TValue>(settings.Topic, this.logger);
        var set = CacheOperationsSet.For<TValue>(settings.Name ?? settings.Topic, settings.Topic, settings.Partitions);
        Schema = set.File;
        OperationSet = set;
    }

    /// <summary>The cache's topic.</summary>
    public string Topic => settings.Topic;

    /// <summary>The operation set's schema (Added, Updated, Deleted).</summary>
    public ProtoFile Schema { get; }

    /// <summary>The operation set (Added, Updated, Deleted on the cache's topic), for topic creation and other consumers.</summary>
    internal MessageSetDefinition OperationSet { get; }

    /// <summary>True once the replica caught up with the end offsets captured at start.</summary>
    public bool IsReady => state.Ready.IsCompletedSuccessfully;

    /// <summary>How many consumers read the topic (<see cref="ReplicatedCacheSettings.Readers"/>); 0 before <see cref="StartAsync"/>.</summary>
    public int ReaderCount => Volatile.Read(ref readers).Length;

    /// <summary>The number of entries in the local replica.</summary>
    public int Count => state.Entries.Count;

    /// <summary>
    /// Raised after each change is applied, on the lane of the change's partition (changes of one key arrive in order;
    /// changes of different partitions may arrive concurrently). Keep handlers short.
    /// </summary>
    public event Action<CacheChange<TKey, TValue>>? Changed
    {
        add => state.Changed += value;
        remove => state.Changed -= value;
    }

    /// <summary>Looks a key up in the local replica. Lock-free; allocates nothing.</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => state.Entries.TryGetValue(key, out value);

    /// <summary>Enumerates the local replica; concurrent changes may or may not be seen.</summary>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => state.Entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Registers the schema, then starts reading the topic from the beginning; returns without waiting for readiness.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            return;
        }

        var services = settings.Services;
        var cluster = services.GetRequiredService<KafkaCluster>();
        var connection = services.GetRequiredService<KafkaProducerConnection>();
        var codec = services.GetRequiredService<IPayloadCodec>();

        // The operations are a message set like any other: the codec registers (or looks up) their schema.
        await codec.PrepareAsync(OperationSet, cancellationToken).ConfigureAwait(false);
        writer = new CacheWriter<TKey, TValue>(connection, codec, OperationSet, state, settings.WriteTimeout);

        // Asked through the shared producer's handle: this also connects it and learns the topic's leaders, so the first
        // write does not pay for it.
        var partitions = await PartitionsAsync(connection.Producer.Handle, cancellationToken).ConfigureAwait(false);
        var readerCount = ChooseReaderCount(partitions.Count);
        var config = ReaderConfig(cluster.CreateConsumerConfig(groupId: null));
        var applier = new ReplicaApplier<TKey, TValue>(state, codec, OperationSet, logger, stopping.Token);
        var created = new ReplicaReader[readerCount];
        var ends = new Dictionary<int, long>();
        for (var i = 0; i < readerCount; i++)
        {
            // Round-robin, so that each reader gets partitions of every broker.
            var reader = i;
            var share = partitions.Where((_, index) => index % readerCount == reader).ToList();
            var readerOfShare = created[i] = new ReplicaReader(config, share, applier, $"{Topic}#{i + 1}", logger);

            // librdkafka's offset queries block (and are asked again while a partition has no leader): never on the
            // caller's thread.
            var connected = await Task.Run(readerOfShare.Connect, cancellationToken).ConfigureAwait(false);
            foreach (var (partition, end) in connected)
            {
                ends[partition] = end;
            }
        }

        state.Prepare(ends, ends.Values.Sum(), readerCount);
        Volatile.Write(ref readers, created);
        foreach (var reader in created)
        {
            reader.Start();
        }
    }

    /// <summary>Completes once the replica has applied everything that was in the topic when it started.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => state.Ready.WaitAsync(cancellationToken);

    /// <summary>Adds <paramref name="key"/> if the local replica does not hold it.</summary>
    /// <returns>False when the key was present (nothing is written).</returns>
    public async ValueTask<bool> AddAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        if (state.Entries.ContainsKey(key))
        {
            return false;
        }

        await Writer().WriteAsync(key, CacheOperationKind.Added, value, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Replaces the value of <paramref name="key"/> if the local replica holds it.</summary>
    /// <returns>False when the key was absent (nothing is written).</returns>
    public async ValueTask<bool> UpdateAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        if (!state.Entries.ContainsKey(key))
        {
            return false;
        }

        await Writer().WriteAsync(key, CacheOperationKind.Updated, value, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Adds or replaces the value of <paramref name="key"/>.</summary>
    public async ValueTask SetAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        var kind = state.Entries.ContainsKey(key) ? CacheOperationKind.Updated : CacheOperationKind.Added;
        await Writer().WriteAsync(key, kind, value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes <paramref name="key"/> if the local replica holds it: a <c>Deleted</c> record, then a tombstone.</summary>
    /// <returns>False when the key was absent (nothing is written).</returns>
    public async ValueTask<bool> DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        if (!state.Entries.ContainsKey(key))
        {
            return false;
        }

        await Writer().WriteAsync(key, CacheOperationKind.Deleted, null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The changes applied from now on, until <paramref name="cancellationToken"/> fires or the cache stops.</summary>
    public IAsyncEnumerable<CacheChange<TKey, TValue>> WatchAsync(CancellationToken cancellationToken = default) => state.WatchAsync(cancellationToken);

    /// <summary>Stops the readers (their lanes finish the record they apply). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var reader in Volatile.Read(ref readers))
        {
            await reader.StopAsync().ConfigureAwait(false);
        }

        state.Stop(new ObjectDisposedException(GetType().Name));
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    private CacheWriter<TKey, TValue> Writer() =>
        Volatile.Read(ref writer) ?? throw new InvalidOperationException($"Start the cache '{Topic}' (StartAsync, or register it with AddReplicatedCache) before writing.");

    private async Task<List<TopicPartition>> PartitionsAsync(Handle clientHandle, CancellationToken cancellationToken)
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
                throw new InvalidOperationException($"The cache topic '{Topic}' has no partitions: {topic?.Error.Reason ?? "not found"}. Create it (compacted) before starting the cache, or set KafkaTyped:CreateTopics to true.");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One reader per two processors, at least 1 and at most 4: a reader keeps two threads busy during bootstrap, its poll
    /// thread and the lanes that apply beside it. Measured on two processors with the topic full (docs/performance.md):
    /// one reader bootstrapped about a seventh faster than two, which competed with each other's lanes for the cores.
    /// </summary>
    internal static int DefaultReaderCount => Math.Clamp(Environment.ProcessorCount / 2, 1, 4);

    private int ChooseReaderCount(int partitions)
    {
        var wanted = settings.Readers ?? DefaultReaderCount;
        if (wanted < 1)
        {
            throw new InvalidOperationException($"Cache '{Topic}': Readers must be at least 1 (it is {wanted}); leave it null for one per two processors.");
        }

        return Math.Clamp(wanted, 1, Math.Max(1, partitions));
    }

    private static Confluent.Kafka.ConsumerConfig ReaderConfig(Confluent.Kafka.ConsumerConfig shared)
    {
        var config = new Confluent.Kafka.ConsumerConfig(new Dictionary<string, string>(shared, StringComparer.Ordinal))
        {
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };

        // librdkafka wants a group id even for assign-only consumers; nothing is ever committed under it.
        config.GroupId ??= $"kafkatyped-cache-{Guid.NewGuid():N}";
        Consuming.RecordFields.ChooseForReplica(config);
        return config;
    }
}
