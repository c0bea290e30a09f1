using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using KafkaTyped.Serialization;

namespace KafkaTyped.Cache;

/// <summary>
/// Writes a cache's operations through the application's one producer connection, framed by the application's codec
/// exactly as a generated producer frames a message set, and waits until the local replica applied the record
/// (read-your-writes).
/// </summary>
/// <remarks>Thread-safe. The codec must have prepared <paramref name="operations"/> (registered its schema) first.</remarks>
internal sealed class CacheWriter<TKey, TValue>(KafkaProducerConnection connection, IPayloadCodec codec, MessageSetDefinition operations, ReplicaState<TKey, TValue> state, TimeSpan writeTimeout)
    where TKey : notnull
    where TValue : class, IMessage<TValue>, new()
{
    public async ValueTask WriteAsync(TKey key, CacheOperationKind kind, TValue? value, CancellationToken cancellationToken)
    {
        var producer = connection.Producer;
        var keyBytes = CacheKeyCodec<TKey>.Encode(key);
        var result = await producer.ProduceAsync(operations.Topic, new Message<byte[], byte[]> { Key = keyBytes, Value = Frame(kind, value) }, cancellationToken).ConfigureAwait(false);
        if (kind == CacheOperationKind.Deleted)
        {
            // The tombstone lets compaction drop the key; the Deleted record before it tells readers (and other
            // consumer groups) what happened. Either one alone yields the same state: absent.
            result = await producer.ProduceAsync(operations.Topic, new Message<byte[], byte[]> { Key = keyBytes, Value = null! }, cancellationToken).ConfigureAwait(false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(writeTimeout);
        try
        {
            await state.Waiters.WaitAsync(result.Partition.Value, result.Offset.Value, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The write to cache '{operations.Topic}' was acknowledged at {result.TopicPartitionOffset} but the local replica did not apply it within {writeTimeout}. Is the replica reading (health check kafkatyped-caches-ready)?");
        }
    }

    /// <summary>The codec's header for the operation (Added [0], Updated [1], Deleted [2]), then its Protobuf payload.</summary>
    private byte[] Frame(CacheOperationKind kind, TValue? value)
    {
        var index = (int)kind;
        var headerLength = codec.GetHeaderLength(operations, index);
        var payloadSize = CacheOperationCodec<TValue>.PayloadSize(value, out var valueSize);
        var buffer = new byte[headerLength + payloadSize];
        codec.WriteHeader(operations, index, buffer.AsSpan(0, headerLength));
        CacheOperationCodec<TValue>.WritePayload(value, valueSize, buffer.AsSpan(headerLength));
        return buffer;
    }
}
