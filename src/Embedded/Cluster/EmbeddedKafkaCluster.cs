using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using KafkaTyped.Embedded.Native;

namespace KafkaTyped.Embedded;

/// <summary>
/// An in-process Kafka cluster: librdkafka's mock cluster speaking the real Kafka protocol on 127.0.0.1 TCP ports,
/// reachable from any Kafka client on the machine (other processes and kcat included).
/// </summary>
/// <remarks>
/// <para>Memory only; each partition keeps about 5 MiB or 100,000 record batches and drops the oldest; no compaction;
/// AdminClient CreateTopics is not supported (use <see cref="CreateTopic"/>); transactions are approximate.
/// See docs/embedded-cluster.md.</para>
/// <para>The cluster is published in a per-machine directory while it runs, so that another process given its
/// bootstrap list recognises it and applies <see cref="EmbeddedClientTuning"/> (and finds its embedded Schema
/// Registry).</para>
/// <para>Thread-safe. Clients still connected when the cluster is disposed see their brokers go away, as with a
/// cluster that shuts down; they keep retrying until they are disposed.</para>
/// </remarks>
public sealed class EmbeddedKafkaCluster : IDisposable
{
    private static readonly ConcurrentDictionary<string, byte> LiveBootstraps = new(StringComparer.Ordinal);

    private readonly object gate = new();
    private IntPtr handle;
    private IntPtr cluster;
    private string? publishedRegistryUrl;

    private EmbeddedKafkaCluster(IntPtr handle, IntPtr cluster, int brokerCount, string bootstrapServers)
    {
        this.handle = handle;
        this.cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = bootstrapServers;
        LiveBootstraps.TryAdd(bootstrapServers, 0);
    }

    /// <summary>The <c>host:port,...</c> list clients connect to. Ports are chosen by the kernel and differ every start.</summary>
    public string BootstrapServers { get; }

    /// <summary>The number of brokers; broker ids are 1 to <see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster.</summary>
    /// <param name="brokerCount">Number of brokers, 1 or more. Default 3.</param>
    /// <exception cref="KafkaNativeLibraryException">librdkafka cannot be loaded (see the message).</exception>
    /// <exception cref="InvalidOperationException">librdkafka refused to create the cluster.</exception>
    public static EmbeddedKafkaCluster Start(int brokerCount = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        KafkaNativeLibrary.EnsureLoaded();

        var errstr = new byte[512];
        var conf = LibRdKafka.ConfNew();

        // The private handle only hosts the mock brokers; it has no bootstrap servers of its own, which librdkafka
        // would log as a warning at every start. Errors still surface.
        LibRdKafka.ConfSet(conf, "log_level", "3", errstr, (UIntPtr)errstr.Length);

        var rk = LibRdKafka.New(LibRdKafka.RdKafkaProducer, conf, errstr, (UIntPtr)errstr.Length);
        if (rk == IntPtr.Zero)
        {
            LibRdKafka.ConfDestroy(conf);
            throw new InvalidOperationException($"librdkafka could not create the embedded cluster's handle: {ReadError(errstr)}");
        }

        var mc = LibRdKafka.ClusterNew(rk, brokerCount);
        if (mc == IntPtr.Zero)
        {
            LibRdKafka.Destroy(rk);
            throw new InvalidOperationException("librdkafka could not create the embedded cluster (rd_kafka_mock_cluster_new returned NULL).");
        }

        // The string is owned by the cluster: copy it, never free it.
        var bootstraps = Marshal.PtrToStringUTF8(LibRdKafka.ClusterBootstraps(mc)) ?? string.Empty;

        // A new group is formed as soon as its first member joins (a real broker waits group.initial.rebalance.delay.ms,
        // 3 s, for more members): a newcomer's first message is handled in a fraction of a second.
        LibRdKafka.GroupInitialRebalanceDelayMs(mc, 0);

        // KIP-848 groups (group.protocol=consumer) take their session and heartbeat from the broker; the same short
        // values as EmbeddedClientTuning gives classic-protocol consumers.
        LibRdKafka.SetGroupConsumerSessionTimeoutMs(mc, EmbeddedClientTuning.SessionTimeoutMs);
        LibRdKafka.SetGroupConsumerHeartbeatIntervalMs(mc, EmbeddedClientTuning.HeartbeatIntervalMs);

        var started = new EmbeddedKafkaCluster(rk, mc, brokerCount, bootstraps);
        EmbeddedClusterDirectory.Publish(bootstraps, registryUrl: null);
        return started;
    }

    /// <summary>
    /// True when <paramref name="bootstrapServers"/> points at an embedded cluster: one alive in this process, or one that
    /// another process on this machine hosts (it published its broker addresses while it runs).
    /// </summary>
    internal static bool IsEmbedded(string? bootstrapServers) =>
        !string.IsNullOrEmpty(bootstrapServers)
        && (LiveBootstraps.ContainsKey(bootstrapServers) || EmbeddedClusterDirectory.Find(bootstrapServers) is not null);

    /// <summary>
    /// The URL of the embedded Schema Registry serving the embedded cluster that <paramref name="bootstrapServers"/>
    /// points at, when another process (or this one) runs one; otherwise null.
    /// </summary>
    internal static string? FindRegistryUrl(string? bootstrapServers) => EmbeddedClusterDirectory.Find(bootstrapServers)?.RegistryUrl;

    /// <summary>
    /// Creates a topic. Call before any client names the topic: a metadata request for an unknown topic auto-creates it
    /// with 4 partitions, and partition counts cannot change afterwards.
    /// </summary>
    /// <param name="name">The topic name.</param>
    /// <param name="partitions">Partition count, 1 or more.</param>
    /// <param name="replicationFactor">Replicas per partition; -1 means min(3, broker count).</param>
    /// <returns>True when created; false when the topic already existed (its partition count is left as it is).</returns>
    public bool CreateTopic(string name, int partitions, int replicationFactor = -1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var rf = replicationFactor < 1 ? Math.Min(3, BrokerCount) : Math.Min(replicationFactor, BrokerCount);
        var err = Control(mc => LibRdKafka.TopicCreate(mc, name, partitions, rf));
        if (err == (int)ErrorCode.TopicAlreadyExists)
        {
            return false;
        }

        ThrowOnError(err, $"create topic '{name}'");
        return true;
    }

    /// <summary>
    /// Publishes the URL of the embedded Schema Registry serving this cluster (null to withdraw it), for processes that
    /// join the cluster. <paramref name="replacing"/>, when set, only withdraws a URL still equal to it.
    /// </summary>
    internal void PublishRegistry(string? url, string? replacing)
    {
        lock (gate)
        {
            if (cluster == IntPtr.Zero || (replacing is not null && !string.Equals(publishedRegistryUrl, replacing, StringComparison.Ordinal)))
            {
                return;
            }

            publishedRegistryUrl = url;
            EmbeddedClusterDirectory.Publish(BootstrapServers, url);
        }
    }

    /// <summary>Deletes a topic and its data. Clients that still use it see it disappear, as after a deletion on a real cluster.</summary>
    /// <returns>True when deleted; false when there was no such topic.</returns>
    public bool DeleteTopic(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var err = Control(mc => LibRdKafka.TopicDelete(mc, name));
        if (err == (int)ErrorCode.UnknownTopicOrPart)
        {
            return false;
        }

        ThrowOnError(err, $"delete topic '{name}'");
        return true;
    }

    /// <summary>
    /// How long a new consumer group waits for more members before its first assignment (the broker setting
    /// <c>group.initial.rebalance.delay.ms</c>). The embedded cluster starts with zero; a real broker's default is 3 s.
    /// </summary>
    public void SetGroupInitialRebalanceDelay(TimeSpan delay) => Control(mc =>
    {
        LibRdKafka.GroupInitialRebalanceDelayMs(mc, (int)delay.TotalMilliseconds);
        return 0;
    });

    /// <summary>Makes <paramref name="brokerId"/> the coordinator of a consumer group (<paramref name="keyType"/> "group") or a transactional id ("transaction").</summary>
    public void SetCoordinator(string keyType, string key, int brokerId) =>
        ThrowOnError(Control(mc => LibRdKafka.CoordinatorSet(mc, keyType, key, brokerId)), $"make broker {brokerId} the {keyType} coordinator of '{key}'");

    /// <summary>Adds a broker with a new id; the cluster spreads partitions over it.</summary>
    public void AddBroker(int brokerId) => ThrowOnError(Control(mc => LibRdKafka.BrokerAdd(mc, brokerId)), $"add broker {brokerId}");

    /// <summary>Removes a broker for good; its partitions move to the others.</summary>
    public void DecommissionBroker(int brokerId) => ThrowOnError(Control(mc => LibRdKafka.BrokerDecommission(mc, brokerId)), $"decommission broker {brokerId}");

    /// <summary>Takes a broker down: its connections close and it refuses new ones until <see cref="SetBrokerUp"/>. Leaders do not move.</summary>
    /// <param name="brokerId">1 to <see cref="BrokerCount"/>, or -1 for all brokers.</param>
    public void SetBrokerDown(int brokerId) => ThrowOnError(Control(mc => LibRdKafka.BrokerSetDown(mc, brokerId)), $"take broker {brokerId} down");

    /// <summary>Brings a broker back up on the same port.</summary>
    /// <param name="brokerId">1 to <see cref="BrokerCount"/>, or -1 for all brokers.</param>
    public void SetBrokerUp(int brokerId) => ThrowOnError(Control(mc => LibRdKafka.BrokerSetUp(mc, brokerId)), $"bring broker {brokerId} up");

    /// <summary>Delays every response of a broker by <paramref name="roundTripTime"/>.</summary>
    public void SetRoundTripTime(int brokerId, TimeSpan roundTripTime) =>
        ThrowOnError(Control(mc => LibRdKafka.BrokerSetRtt(mc, brokerId, (int)roundTripTime.TotalMilliseconds)), $"set broker {brokerId} round-trip time");

    /// <summary>Fails the next requests of one API, in order, with the given errors (for example <see cref="ErrorCode.NotLeaderForPartition"/>).</summary>
    public void PushRequestErrors(KafkaApiKey apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = Array.ConvertAll(errors, static e => (int)e);
        Control(mc =>
        {
            LibRdKafka.PushRequestErrorsArray(mc, (short)apiKey, (UIntPtr)codes.Length, codes);
            return 0;
        });
    }

    /// <summary>Removes the errors queued by <see cref="PushRequestErrors"/> for one API.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey) => Control(mc =>
    {
        LibRdKafka.ClearRequestErrors(mc, (short)apiKey);
        return 0;
    });

    /// <summary>Moves a partition's leadership to <paramref name="brokerId"/> (-1 leaves it leaderless).</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        ThrowOnError(Control(mc => LibRdKafka.PartitionSetLeader(mc, topic, partition, brokerId)), $"set the leader of {topic}[{partition}]");

    /// <summary>Stops the brokers and frees the native handles. Idempotent.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (cluster == IntPtr.Zero)
            {
                return;
            }

            LiveBootstraps.TryRemove(BootstrapServers, out _);
            EmbeddedClusterDirectory.Unpublish(BootstrapServers);

            // The cluster lives on the handle's threads: destroy it first, then the handle.
            LibRdKafka.ClusterDestroy(cluster);
            cluster = IntPtr.Zero;
            LibRdKafka.Destroy(handle);
            handle = IntPtr.Zero;
        }
    }

    private int Control(Func<IntPtr, int> call)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(cluster == IntPtr.Zero, this);
            return call(cluster);
        }
    }

    private static void ThrowOnError(int err, string what)
    {
        if (err != 0)
        {
            throw new InvalidOperationException($"The embedded Kafka cluster could not {what}: {LibRdKafka.Describe(err)}.");
        }
    }

    private static string ReadError(byte[] errstr)
    {
        var end = Array.IndexOf(errstr, (byte)0);
        return System.Text.Encoding.UTF8.GetString(errstr, 0, end < 0 ? errstr.Length : end);
    }
}
