using Confluent.Kafka;

namespace KafkaTyped.Consuming;

/// <summary>
/// What a lane does with each record of its partition, in offset order: a consumer group's
/// <see cref="MessageProcessor"/> (dispatch, retries, dead letters), or a replicated cache's applier.
/// </summary>
/// <remarks>Called concurrently by the lanes of all partitions; one lane calls it for one record at a time.</remarks>
internal interface IRecordProcessor
{
    /// <summary>The most records one lane batch (and its DI scope) takes.</summary>
    int MaxMessagesPerScope { get; }

    /// <summary>
    /// True when the poll thread may run a record itself while its partition's lanes are idle (no ambient state that
    /// belongs to a lane's task, such as a transaction).
    /// </summary>
    bool CanRunOnPollThread { get; }

    /// <summary>The DI scope holder of one lane's task.</summary>
    LaneScope CreateLaneScope();

    /// <summary>Processes a record to completion; false when cancelled first (the record must not count as done).</summary>
    ValueTask<bool> ProcessAsync(ConsumeResult<byte[], byte[]> record, LaneScope lane, CancellationToken cancellationToken);
}
