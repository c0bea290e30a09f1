using KafkaTyped.GeneratedCode;
namespace KafkaTyped.Cache;

/// <summary>
/// Configuration of one replicated cache registered by <c>AddKafkaTyped</c>: named options (the name is the cache's
/// topic), bound from <c>KafkaTyped:Caches:{topic}</c> (for example <c>KafkaTyped:Caches:prices:Readers</c>) and
/// validated when the cache is created.
/// </summary>
public sealed class ReplicatedCacheOptions
{
    /// <summary>See <see cref="ReplicatedCacheSettings.Readers"/>; null for one reader per two processors (at least 1, at most 4).</summary>
    public int? Readers { get; set; }

    /// <summary>See <see cref="ReplicatedCacheSettings.WriteTimeout"/>. Default 30 s.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
