namespace KafkaTyped.Consuming;

/// <summary>The observable state of one consumer of a group, for health checks.</summary>
/// <remarks>Thread-safe: written by the poll thread, read by anyone.</remarks>
public sealed class ConsumerGroupStatus
{
    private long lastPollTicks;
    private volatile int assignedPartitions;
    private volatile bool running;
    private volatile bool joined;
    private volatile Exception? fault;

    /// <summary>Creates the status of <paramref name="groupId"/>.</summary>
    internal ConsumerGroupStatus(string groupId) => GroupId = groupId;

    /// <summary>The consumer group id.</summary>
    public string GroupId { get; }

    /// <summary>True while the poll loop runs.</summary>
    public bool IsRunning => running;

    /// <summary>True once the consumer received its first assignment (it joined the group).</summary>
    public bool HasJoined => joined;

    /// <summary>Partitions currently assigned.</summary>
    public int AssignedPartitions => assignedPartitions;

    /// <summary>The partitions the application paused (<see cref="IConsumerGroupControl"/>) that this member owns, once the pause took hold.</summary>
    public IReadOnlyList<Confluent.Kafka.TopicPartition> PausedByApplication => Volatile.Read(ref pausedByApplication);

    private IReadOnlyList<Confluent.Kafka.TopicPartition> pausedByApplication = [];

    internal void MarkPausedByApplication(IReadOnlyList<Confluent.Kafka.TopicPartition> partitions) => Volatile.Write(ref pausedByApplication, partitions);

    /// <summary>The exception that stopped the poll loop, if any.</summary>
    public Exception? Fault => fault;

    /// <summary>Time since the poll loop last returned from <c>Consume</c>; <see cref="TimeSpan.MaxValue"/> before the first poll.</summary>
    public TimeSpan SinceLastPoll
    {
        get
        {
            var last = Interlocked.Read(ref lastPollTicks);
            return last == 0 ? TimeSpan.MaxValue : TimeSpan.FromMilliseconds(Environment.TickCount64 - last);
        }
    }

    internal void MarkRunning()
    {
        fault = null;
        running = true;
        MarkPolled();
    }

    internal void MarkPolled() => Interlocked.Exchange(ref lastPollTicks, Environment.TickCount64);

    internal void MarkAssigned(int partitions)
    {
        assignedPartitions = partitions;
        joined = true;
    }

    internal void MarkFaulted(Exception exception) => fault = exception;

    internal void MarkStopped()
    {
        running = false;
        assignedPartitions = 0;
    }
}
