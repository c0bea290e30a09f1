using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

// RangeAttribute(Type, string, string) is marked RequiresUnreferencedCode for its TypeConverter lookup. The ranges
// below are read only at compile time, by the options validator generator (ConsumerGroupOptionsRanges), which emits
// its own reflection-free copy of the check; nothing reads these attributes at run time.
#pragma warning disable IL2026

namespace KafkaTyped.Consuming;

/// <summary>
/// Settings of one consumer group: named options (the name is the group id), bound from
/// <c>KafkaTyped:Consumers:{groupId}</c> and validated when the group's consumer starts. Every setting has a default that
/// suits most applications. In code: <c>services.Configure&lt;ConsumerGroupOptions&gt;("billing", o => ...)</c>.
/// </summary>
public sealed class ConsumerGroupOptions
{
    /// <summary>
    /// Messages of one partition processed at once, in key-hash lanes so that per-key order holds. Default 1 (strict
    /// partition order). Offsets are still committed only up to the contiguous completed watermark.
    /// </summary>
    [Range(1, 4096)]
    public int MaxConcurrencyPerPartition { get; set; } = 1;

    /// <summary>
    /// Messages buffered per partition (queued plus in flight) before the partition is paused; it resumes once half of
    /// them are done. Polling goes on for the other partitions, so a slow partition never holds up the rest and
    /// <c>max.poll.interval.ms</c> is never exceeded. Default 1000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxBufferedPerPartition { get; set; } = 1000;

    /// <summary>
    /// Lets the poll thread handle a partition's records itself while the partition's lanes are idle, once the lanes
    /// found its handlers completing synchronously within about 1 µs. That skips the hand-over to a lane, which costs
    /// more than such a handler. A handler that awaits or turns slow sends the records back to the lanes, each time for
    /// longer. Default null: on when the process has at most two processors (<see cref="Environment.ProcessorCount"/>,
    /// which follows container CPU limits), where the CPU the hand-over costs (about 0.4 µs per record, measured in
    /// docs/performance.md) competes with everything else. With more processors, lanes can run handlers beside the
    /// poll thread instead of after it. Set false when a handler may block its thread for long without awaiting: until
    /// it is caught, it would hold up polling for every partition of the group.
    /// </summary>
    public bool? HandleOnPollThread { get; set; }

    /// <summary>
    /// Tests only: how fast (in <see cref="System.Diagnostics.Stopwatch"/> ticks) a handler must be for
    /// <see cref="HandleOnPollThread"/>; null for the engine's limit. Not bound from configuration.
    /// </summary>
    internal long? PollThreadFastEnough { get; set; }

    /// <summary>Commit the completed watermarks at least this often. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Commit early once this many messages completed since the last commit. Default 5000.</summary>
    [Range(1, int.MaxValue)]
    public int CommitBatchSize { get; set; } = 5000;

    /// <summary>How long a revoked partition's in-flight messages may run before their handlers are cancelled. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RevokeDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long in-flight messages may run at shutdown before their handlers are cancelled. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Which DI scope handlers are resolved from (default <see cref="Consuming.HandlerScope.PerBatch"/>): see
    /// <see cref="Consuming.HandlerScope"/>. Scoped services, such as a DbContext, are shared by the messages of one
    /// batch and fresh after any failed attempt.
    /// </summary>
    public HandlerScope HandlerScope { get; set; } = HandlerScope.PerBatch;

    /// <summary>Under <see cref="Consuming.HandlerScope.PerBatch"/>, the most messages one scope serves. Default 100.</summary>
    [Range(1, int.MaxValue)]
    public int MaxMessagesPerScope { get; set; } = 100;

    /// <summary>Retry policy for handler exceptions.</summary>
    [ValidateObjectMembers]
    public RetryOptions Retry { get; set; } = new();

    /// <summary>Dead-letter settings.</summary>
    public DeadLetterOptions DeadLetter { get; set; } = new();

    /// <summary>How records are gathered for the group's <see cref="IHandleBatch{TMessage}"/> handlers, and what happens to a failing batch.</summary>
    [ValidateObjectMembers]
    public BatchOptions Batch { get; set; } = new();

    /// <summary>
    /// The consumer group protocol. Default <see cref="ConsumerGroupProtocol.Classic"/>, which every Kafka broker serves.
    /// <see cref="ConsumerGroupProtocol.Consumer"/> opts in to KIP-848 (Kafka 4.0+ brokers, and the embedded cluster):
    /// the broker computes assignments and rebalances are incremental, so members joining or leaving no longer stop
    /// the others. Session and heartbeat timing then come from the broker (<c>group.consumer.*</c> settings), and
    /// <c>session.timeout.ms</c>, <c>heartbeat.interval.ms</c> and <c>partition.assignment.strategy</c> must not be set.
    /// </summary>
    public ConsumerGroupProtocol GroupProtocol { get; set; } = ConsumerGroupProtocol.Classic;

    /// <summary>
    /// Exactly-once consume–transform–produce. When true, the member gets a transactional producer; what its handlers
    /// produce through generated producers (and its dead letters) is committed in one Kafka transaction together with
    /// the offsets of the records handled, and becomes visible to <c>read_committed</c> consumers (librdkafka's default)
    /// only then. Commits wait for the lanes to finish what they hold. Default false. Needs brokers with transactions
    /// (Kafka 2.5+ for the group-metadata fencing of KIP-447); see docs/producing-and-consuming.md for what the embedded
    /// cluster can and cannot show.
    /// </summary>
    public bool Transactional { get; set; }

    /// <summary>librdkafka settings for this group's consumer, applied over <c>KafkaTyped:Settings</c>.</summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The consumer group protocol a group's members speak (librdkafka's <c>group.protocol</c>).</summary>
public enum ConsumerGroupProtocol
{
    /// <summary>The classic protocol (JoinGroup/SyncGroup): client-side assignors, eager or cooperative-sticky.</summary>
    Classic,

    /// <summary>KIP-848's protocol (ConsumerGroupHeartbeat): broker-side assignment, always incremental. Needs Kafka 4.0+ brokers.</summary>
    Consumer,
}

/// <summary>In-place retries of a failed handler: exponential backoff with jitter (Polly.Core's), capped at <see cref="MaxDelay"/>.</summary>
public sealed class RetryOptions
{
    /// <summary>Handler attempts per message, the first included. Default 3. 1 disables retries.</summary>
    [Range(1, int.MaxValue)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Backoff before the first retry (on average); it roughly doubles per retry. Default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one backoff, and the wait between tries while the Schema Registry is unreachable. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Where messages go whose handler kept failing or that could not be deserialized.</summary>
public sealed class DeadLetterOptions
{
    /// <summary>True (default) to dead-letter; false retries such a message with backoff until it succeeds, holding its partition (nothing is skipped).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Suffix appended to the source topic. Default <c>.dlq</c>.</summary>
    public string TopicSuffix { get; set; } = ".dlq";
}
