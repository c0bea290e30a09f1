using System.ComponentModel;
using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Consuming;
using KafkaTyped.Cache;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// Reads a cache's generated operation messages (<c>PriceCache.Added</c>, ...) out of consumed records; called by the
/// generated <c>ReadRecord</c> of each operation. Not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CacheOperationRecords
{
    /// <summary>Parses an operation's payload.</summary>
    /// <exception cref="MessageDeserializationException">The payload is not a valid <typeparamref name="T"/>.</exception>
    public static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> payload, ConsumeResult<byte[], byte[]> record)
        where T : IMessage<T> => ConsumerGroupDispatcher.Parse(parser, payload, record);

    /// <summary>Decodes the cache key from the record key (the encodings of <see cref="CacheKeyCodec{TKey}"/>).</summary>
    /// <exception cref="MessageDeserializationException">The record has no key, or a key of the wrong length for <typeparamref name="TKey"/>.</exception>
    public static TKey ReadKey<TKey>(ConsumeResult<byte[], byte[]> record)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Message.Key is not { } key)
        {
            throw new MessageDeserializationException(record, "a cache operation has no key");
        }

        try
        {
            return CacheKeyCodec<TKey>.Decode(key);
        }
        catch (FormatException exception)
        {
            throw new MessageDeserializationException(record, exception.Message, exception);
        }
    }
}
