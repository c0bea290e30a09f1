namespace KafkaTyped.Embedded;

/// <summary>Kafka protocol request types the embedded cluster can be told to fail (<see cref="EmbeddedKafkaCluster.PushRequestErrors"/>).</summary>
public enum KafkaApiKey : short
{
    /// <summary>Produce.</summary>
    Produce = 0,
    /// <summary>Fetch.</summary>
    Fetch = 1,
    /// <summary>ListOffsets.</summary>
    ListOffsets = 2,
    /// <summary>Metadata.</summary>
    Metadata = 3,
    /// <summary>OffsetCommit.</summary>
    OffsetCommit = 8,
    /// <summary>OffsetFetch.</summary>
    OffsetFetch = 9,
    /// <summary>FindCoordinator.</summary>
    FindCoordinator = 10,
    /// <summary>JoinGroup.</summary>
    JoinGroup = 11,
    /// <summary>Heartbeat.</summary>
    Heartbeat = 12,
    /// <summary>LeaveGroup.</summary>
    LeaveGroup = 13,
    /// <summary>SyncGroup.</summary>
    SyncGroup = 14,
    /// <summary>ApiVersions.</summary>
    ApiVersions = 18,
    /// <summary>InitProducerId.</summary>
    InitProducerId = 22,
    /// <summary>AddPartitionsToTxn.</summary>
    AddPartitionsToTxn = 24,
    /// <summary>AddOffsetsToTxn.</summary>
    AddOffsetsToTxn = 25,
    /// <summary>EndTxn (commit or abort a transaction).</summary>
    EndTxn = 26,
    /// <summary>TxnOffsetCommit (offsets sent to a transaction).</summary>
    TxnOffsetCommit = 28,
    /// <summary>ConsumerGroupHeartbeat (KIP-848).</summary>
    ConsumerGroupHeartbeat = 68,
}
