using System.Collections.Concurrent;

namespace KafkaTyped.Consuming;

/// <summary>
/// Pauses and resumes consumption at run time: a whole consumer group of this application, or single partitions of it.
/// Inject <see cref="IConsumerGroupControl"/> (for example to hold a partition while a downstream service is slow).
/// </summary>
/// <remarks>
/// <para>A pause takes effect at the member's next poll (within about 100 ms): records of the partition already handed
/// to its lanes finish, records fetched but not handed over are fetched again after the resume. Nothing is skipped and
/// nothing is committed past what was handled.</para>
/// <para>Pauses belong to this application instance and survive rebalances: a paused partition that is revoked and
/// later assigned to this member again starts paused; a partition moving to another member is not paused there.</para>
/// <para>Thread-safe; callable from handlers.</para>
/// </remarks>
internal sealed class ConsumerGroupControl : IConsumerGroupControl
{
    private readonly ConcurrentDictionary<string, GroupPauses> groups = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Pause(string groupId) => Group(groupId).SetGroup(paused: true);

    /// <inheritdoc />
    public void Resume(string groupId) => Group(groupId).SetGroup(paused: false);

    /// <inheritdoc />
    public void Pause(string groupId, string topic, int partition) => Group(groupId).SetPartition(topic, partition, paused: true);

    /// <inheritdoc />
    public void Resume(string groupId, string topic, int partition) => Group(groupId).SetPartition(topic, partition, paused: false);

    /// <inheritdoc />
    public bool IsPaused(string groupId) => Group(groupId).GroupPaused;

    /// <inheritdoc />
    public bool IsPaused(string groupId, string topic, int partition) => Group(groupId).IsPaused(topic, partition);

    /// <summary>The pause state of one group, read by its poll loop.</summary>
    internal GroupPauses Group(string groupId)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        return groups.GetOrAdd(groupId, static _ => new GroupPauses());
    }
}

/// <summary>Pause and resume consumer groups and their partitions at run time (see <see cref="ConsumerGroupControl"/>).</summary>
public interface IConsumerGroupControl
{
    /// <summary>Pauses every partition of the group this instance owns now or later, until <see cref="Resume(string)"/>.</summary>
    void Pause(string groupId);

    /// <summary>Lifts a group-wide pause (partitions paused one by one stay paused).</summary>
    void Resume(string groupId);

    /// <summary>Pauses one partition of the group (kept while this instance owns it, and if it comes back).</summary>
    void Pause(string groupId, string topic, int partition);

    /// <summary>Resumes one partition paused with <see cref="Pause(string, string, int)"/>.</summary>
    void Resume(string groupId, string topic, int partition);

    /// <summary>True while the group is paused as a whole.</summary>
    bool IsPaused(string groupId);

    /// <summary>True while the partition is paused (by itself or by a group-wide pause).</summary>
    bool IsPaused(string groupId, string topic, int partition);
}

/// <summary>One group's pauses; <see cref="Version"/> changes on every change so the poll loop reconciles only then.</summary>
internal sealed class GroupPauses
{
    private readonly ConcurrentDictionary<(string Topic, int Partition), byte> partitions = new();
    private volatile bool groupPaused;
    private int version;

    public bool GroupPaused => groupPaused;

    public int Version => Volatile.Read(ref version);

    public bool IsPaused(string topic, int partition) => groupPaused || partitions.ContainsKey((topic, partition));

    public void SetGroup(bool paused)
    {
        groupPaused = paused;
        Interlocked.Increment(ref version);
    }

    public void SetPartition(string topic, int partition, bool paused)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (paused)
        {
            partitions.TryAdd((topic, partition), 0);
        }
        else
        {
            partitions.TryRemove((topic, partition), out _);
        }

        Interlocked.Increment(ref version);
    }
}
