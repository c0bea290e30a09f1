namespace KafkaTyped.Roslyn.Model
{
    /// <summary>
    /// One handled member: its record type and message-index constant. A cache operation (<c>PriceCache.Added</c>) is
    /// read with its generated <c>ReadRecord</c>, which also takes the cache key from the Kafka key. A batch-handled
    /// member (<c>IHandleBatch&lt;T&gt;</c>) has its batch slot, else -1.
    /// </summary>
    public sealed record HandledMessageModel(string FullTypeName, string IndexExpression, bool IsCacheOperation = false, int BatchSlot = -1)
    {
        public bool IsBatch => BatchSlot >= 0;
    }

    /// <summary>
    /// The handled members of one topic (message set) of a consumer group. A replicated cache's topic also carries
    /// tombstones (one after every <c>Deleted</c>), which the dispatcher skips.
    /// </summary>
    public sealed record HandledTopicModel(string SetClassFullName, EquatableArray<HandledMessageModel> Messages, bool IsCache = false);

    /// <summary>A <c>[ConsumerGroup]</c> handler class and what it handles, topic by topic.</summary>
    /// <remarks>Plain data only (no symbols), compared by value.</remarks>
    public sealed record ConsumerGroupModel(
        string Namespace,
        string HandlerFullName,
        string DispatcherName,
        bool IsPublic,
        string GroupId,
        EquatableArray<HandledTopicModel> Topics)
    {
        public string DispatcherFullName => "global::" + (Namespace.Length == 0 ? string.Empty : Namespace + ".") + DispatcherName;
    }
}
