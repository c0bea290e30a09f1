namespace KafkaTyped.Roslyn.Model
{
    /// <summary>
    /// The producer options a <c>[Topic]</c> attribute sets: <c>Acks</c> and <c>Partitioner</c> as the values of
    /// <c>KafkaTyped.TopicAcks</c>/<c>TopicPartitioner</c> (0 = not set), <c>EnableIdempotence</c> as -1 (not set), 0 or 1.
    /// </summary>
    /// <remarks>Plain data only (no symbols), compared by value.</remarks>
    public sealed record TopicProducerModel(string Topic, int Acks, int Partitioner, int Idempotence)
    {
        /// <summary>The highest defined <c>TopicAcks</c> value (<c>All</c>).</summary>
        public const int MaxAcks = 3;

        /// <summary>The highest defined <c>TopicPartitioner</c> value (<c>Random</c>).</summary>
        public const int MaxPartitioner = 3;

        /// <summary>The <c>TopicAcks</c> value of <c>All</c>.</summary>
        public const int AcksAll = 3;

        /// <summary>Both enum values are defined.</summary>
        public bool HasDefinedValues => Acks >= 0 && Acks <= MaxAcks && Partitioner >= 0 && Partitioner <= MaxPartitioner;

        /// <summary>Idempotence is asked for while the topic waits for fewer than all acknowledgements (KT0114).</summary>
        public bool IdempotenceConflicts => Idempotence == 1 && Acks != 0 && Acks != AcksAll;

        /// <summary>No option is set: nothing to register.</summary>
        public bool IsEmpty => Acks == 0 && Partitioner == 0 && Idempotence < 0;
    }
}
