using Google.Protobuf;
using KafkaTyped.Serialization;

namespace KafkaTyped.Cache;

/// <summary>
/// The record value of a cache operation in the Confluent Protobuf wire format: magic byte 0, the operation set's
/// schema id, the message index of the operation (Added [0], Updated [1], Deleted [2]), then its Protobuf payload.
/// </summary>
internal static class CacheRecordFormat
{
    public static byte[] Encode<TValue>(RegisteredMessageSet set, CacheOperationKind kind, TValue? value)
        where TValue : class, IMessage<TValue>, new()
    {
        var index = (int)kind;
        var path = set.GetPath(index);
        var headerLength = ConfluentWireFormat.GetHeaderLength(path);
        var payloadSize = CacheOperationCodec<TValue>.PayloadSize(value, out var valueSize);
        var buffer = new byte[headerLength + payloadSize];
        ConfluentWireFormat.WriteHeader(buffer, set.GetSchemaId(index), path);
        CacheOperationCodec<TValue>.WritePayload(value, valueSize, buffer.AsSpan(headerLength));
        return buffer;
    }

    /// <summary>Reads a framed operation; a record written with another version of the set's schema is mapped by name.</summary>
    /// <exception cref="MessageFormatException">The bytes are not a framed operation of this cache's set.</exception>
    /// <exception cref="FormatException">The payload is not a valid operation message.</exception>
    /// <exception cref="SchemaRegistry.SchemaRegistryException">The registry could not be asked about an unknown schema id.</exception>
    public static CacheOperationKind Decode<TValue>(byte[] bytes, MessageIndexResolver resolver, string topic, int partition, long offset, out TValue? value)
        where TValue : class, IMessage<TValue>, new()
    {
        var header = ConfluentWireFormat.ReadHeader(bytes, topic, partition, offset);
        if (!resolver.TryResolve(header, out var index))
        {
            // Only for a schema id this process has not seen: one registry lookup, cached afterwards. The reader
            // thread may block on it; nothing else waits on that thread.
            index = resolver.ResolveAsync(header, topic, partition, offset).AsTask().GetAwaiter().GetResult();
        }

        var kind = (CacheOperationKind)index;
        value = kind == CacheOperationKind.Deleted ? null : CacheOperationCodec<TValue>.DecodeValue(bytes.AsSpan(header.PayloadOffset));
        return kind;
    }
}
