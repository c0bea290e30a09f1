namespace KafkaTyped;

/// <summary>
/// Declares a replicated cache over a compacted topic: <c>[ReplicatedCache("prices")] public sealed partial class
/// PriceCache : ReplicatedCache&lt;string, Price&gt;;</c>. Its operations are one generated message set: the nested
/// messages <c>PriceCache.Added</c>, <c>PriceCache.Updated</c> and <c>PriceCache.Deleted</c> in
/// <c>PriceCache.Operations</c>, which other consumer groups handle with ordinary <c>IHandle&lt;PriceCache.Added&gt;</c>
/// handlers.
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
