namespace KafkaTyped;

/// <summary>
/// Declares a replicated cache over a compacted topic: <c>[ReplicatedCache("prices")] public sealed partial class
/// PriceCache : ReplicatedCache&lt;string, Price&gt;;</c>. Its operations are one generated message set.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ReplicatedCacheAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="topic">The cache's topic.</param>
    public ReplicatedCacheAttribute(string topic) => Topic = topic;

    /// <summary>The cache's topic.</summary>
    public string Topic { get; }

    /// <summary>Partitions to create the topic with. Default 12.</summary>
    public int Partitions { get; set; } = 12;
}
