using System.Collections.Concurrent;

namespace KafkaTyped.Consuming;

/// <summary>The statuses of the consumer groups running in this application.</summary>
/// <remarks>Singleton; thread-safe.</remarks>
public sealed class ConsumerGroupMonitor
{
    private readonly ConcurrentDictionary<string, ConsumerGroupStatus> statuses = new(StringComparer.Ordinal);

    /// <summary>Every group's status, ordered by group id.</summary>
    public IReadOnlyList<ConsumerGroupStatus> Groups => [.. statuses.Values.OrderBy(static s => s.GroupId, StringComparer.Ordinal)];

    /// <summary>The status of <paramref name="groupId"/>, created on first use.</summary>
    internal ConsumerGroupStatus GetOrAdd(string groupId) => statuses.GetOrAdd(groupId, static id => new ConsumerGroupStatus(id));
}
