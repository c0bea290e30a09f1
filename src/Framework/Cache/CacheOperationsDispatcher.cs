using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using Microsoft.Extensions.DependencyInjection;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Cache;

/// <summary>
/// Dispatches a cache's operation set to an <see cref="ICacheOperationHandler{TKey, TValue}"/> in a consumer group:
/// the same engine as generated dispatchers (commits after handling, retries, dead letters), over the set the cache
/// registers. Generic, so nothing reflects at run time.
/// </summary>
internal sealed class CacheOperationsDispatcher<TKey, TValue, THandler>(IPayloadCodec codec, string groupId, MessageSetDefinition operations)
    : ConsumerGroupDispatcher(codec)
    where TKey : notnull
    where TValue : class, IMessage<TValue>, new()
    where THandler : ICacheOperationHandler<TKey, TValue>
{
    private readonly MessageSetDefinition[] topics = [operations];

    public override string GroupId => groupId;

    public override IReadOnlyList<MessageSetDefinition> Topics => topics;

    public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (record.Message.Value is null)
        {
            return default; // the tombstone after a Deleted operation, which was delivered already
        }

        var payload = ReadPayload(record, out _, out var messageIndex);
        if (record.Message.Key is not { } rawKey)
        {
            throw new MessageDeserializationException(record, "a cache operation has no key");
        }

        TKey key;
        TValue? value;
        try
        {
            key = CacheKeyCodec<TKey>.Decode(rawKey);
            value = messageIndex == (int)CacheOperationKind.Deleted ? null : CacheOperationCodec<TValue>.DecodeValue(payload);
        }
        catch (Exception error) when (error is FormatException or InvalidProtocolBufferException)
        {
            throw new MessageDeserializationException(record, error.Message);
        }

        if (messageIndex is < 0 or > (int)CacheOperationKind.Deleted)
        {
            return Unhandled(record, 0, messageIndex);
        }

        var operation = new CacheOperation<TKey, TValue>((CacheOperationKind)messageIndex, key, value);
        return services.GetRequiredService<THandler>().HandleAsync(operation, context, cancellationToken);
    }
}
