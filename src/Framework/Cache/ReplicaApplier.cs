using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Logging;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Cache;

/// <summary>
/// What a replica's lanes do with each record of the cache topic: read the framing with the application's codec (the
/// same one consumer groups use, which fetches an unseen schema id asynchronously), decode the operation and apply it
/// to the <see cref="ReplicaState{TKey, TValue}"/>.
/// </summary>
/// <remarks>
/// A record the replica cannot read changes nothing and is logged; the others still apply. An unreachable Schema
/// Registry is waited out (the lane awaits, no thread blocks): skipping the record would lose it.
/// </remarks>
internal sealed class ReplicaApplier<TKey, TValue>(ReplicaState<TKey, TValue> state, IPayloadCodec codec, MessageSetDefinition operations, ILogger logger, CancellationToken stopping) : IRecordProcessor
    where TKey : notnull
    where TValue : class, IMessage<TValue>, new()
{
    private static readonly TimeSpan RegistryRetry = TimeSpan.FromSeconds(1);
    private static readonly IServiceProvider NoServices = new EmptyServices();

    /// <inheritdoc />
    /// <remarks>
    /// False: measured, a replica's bootstrap with one reader was no faster with the poll thread applying operations
    /// (docs/performance.md); its lanes apply on the second core while the poll thread reads.
    /// </remarks>
    public bool CanRunOnPollThread => false;

    public int MaxMessagesPerScope => int.MaxValue;

    public LaneScope CreateLaneScope() => new(NoServices, HandlerScope.Root, operations.Topic, logger);

    public ValueTask<bool> ProcessAsync(ConsumeResult<byte[], byte[]> record, LaneScope lane, CancellationToken cancellationToken)
    {
        if (record.IsPartitionEOF)
        {
            state.EndOfPartition(record.Partition.Value, record.Offset.Value);
            return new ValueTask<bool>(true);
        }

        if (record.Message.Value is { } value)
        {
            var preparation = codec.PrepareToReadAsync(operations, value, cancellationToken);
            if (!preparation.IsCompletedSuccessfully)
            {
                return ApplyWhenReadableAsync(record, value, preparation, cancellationToken);
            }

            preparation.GetAwaiter().GetResult();
        }

        Apply(record);
        return new ValueTask<bool>(true);
    }

    private async ValueTask<bool> ApplyWhenReadableAsync(ConsumeResult<byte[], byte[]> record, byte[] value, ValueTask preparation, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await preparation.ConfigureAwait(false);
                break;
            }
            catch (SchemaRegistry.SchemaRegistryException error) when (!stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                CacheLog.RegistryUnavailable(logger, operations.Topic, record.Partition.Value, record.Offset.Value, error.Message);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            try
            {
                await Task.Delay(RegistryRetry, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            preparation = codec.PrepareToReadAsync(operations, value, cancellationToken);
        }

        Apply(record);
        return true;
    }

    private void Apply(ConsumeResult<byte[], byte[]> record)
    {
        var partition = record.Partition.Value;
        var offset = record.Offset.Value;
        try
        {
            if (record.Message.Key is not { } rawKey)
            {
                CacheLog.SkippedRecord(logger, operations.Topic, partition, offset, "it has no key");
                return;
            }

            var key = CacheKeyCodec<TKey>.Decode(rawKey);
            if (record.Message.Value is not { } value)
            {
                state.Remove(key, partition, offset);
                return;
            }

            if (!codec.TryReadHeader(operations, value, out var index, out var headerLength, out var error))
            {
                CacheLog.SkippedRecord(logger, operations.Topic, partition, offset, error ?? "the value is not framed as a cache operation");
                return;
            }

            var kind = (CacheOperationKind)index;
            if (kind == CacheOperationKind.Deleted)
            {
                state.Remove(key, partition, offset);
            }
            else
            {
                state.Set(key, CacheOperationCodec<TValue>.DecodeValue(value.AsSpan(headerLength)), kind, partition, offset);
            }
        }
        catch (Exception error) when (error is FormatException or InvalidProtocolBufferException or MessageFormatException)
        {
            // A record this replica cannot read changes nothing; the others still apply.
            CacheLog.SkippedRecord(logger, operations.Topic, partition, offset, error.Message);
        }
        finally
        {
            state.Waiters.Applied(partition, offset);
        }
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
