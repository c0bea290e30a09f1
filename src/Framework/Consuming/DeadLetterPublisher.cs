using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaTyped.Diagnostics;
using KafkaTyped.Producing;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace KafkaTyped.Consuming;

/// <summary>Writes records a group gave up on to <c>{topic}{suffix}</c>, with <see cref="DeadLetterHeaders"/>.</summary>
internal sealed class DeadLetterPublisher
{
    private const int MaxMessageLength = 4000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly ResiliencePropertyKey<(string Topic, ConsumeResult<byte[], byte[]> Record)> Target = new("kafkatyped.dead-letter");

    private readonly KafkaProducerConnection connection;
    private readonly string group;
    private readonly string suffix;
    private readonly ILogger logger;
    private readonly ResiliencePipeline untilAcknowledged;

    public DeadLetterPublisher(KafkaProducerConnection connection, string group, string suffix, ILogger logger)
    {
        this.connection = connection;
        this.group = group;
        this.suffix = suffix;
        this.logger = logger;

        // A dead letter that cannot be written is retried every second, for as long as it takes (or until the partition
        // is revoked or the host stops): the record's offset may only be committed once its dead letter is durable.
        untilAcknowledged = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is KafkaException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                Delay = RetryDelay,
                OnRetry = args =>
                {
                    var (topic, record) = args.Context.Properties.GetValue(Target, default);
                    ConsumingLog.DeadLetterFailed(logger, args.Outcome.Exception!, topic, record.Topic, record.Partition.Value, record.Offset.Value);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>
    /// Publishes and waits for the broker's acknowledgement, retrying failures every second: the record's offset may only
    /// be committed once its dead letter is durable.
    /// </summary>
    /// <returns>False when cancelled before the dead letter was acknowledged.</returns>
    public async ValueTask<bool> PublishAsync(ConsumeResult<byte[], byte[]> record, Exception exception, int attempts, CancellationToken cancellationToken)
    {
        var topic = record.Topic + suffix;
        var message = new Message<byte[], byte[]>
        {
            Key = record.Message.Key,
            Value = record.Message.Value,
            Timestamp = record.Message.Timestamp,
            Headers = BuildHeaders(record, exception, attempts),
        };

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Target, (topic, record));
        try
        {
            await untilAcknowledged.ExecuteAsync(
                // In a transactional group the dead letter joins the transaction, like the handler's own output.
                static async (ctx, state) => await (KafkaTransaction.Current?.Producer ?? state.Connection.Producer).ProduceAsync(state.Topic, state.Message, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (Connection: connection, Topic: topic, Message: message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        KafkaTypedMetrics.DeadLettered.Add(1, KafkaTypedMetrics.Tags(record.Topic, group));
        ConsumingLog.DeadLettered(logger, exception, record.Topic, record.Partition.Value, record.Offset.Value, group, topic, attempts);
        return true;
    }

    private Headers BuildHeaders(ConsumeResult<byte[], byte[]> record, Exception exception, int attempts)
    {
        var headers = new Headers();
        if (record.Message.Headers is { } original)
        {
            foreach (var header in original)
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        var text = exception.Message;
        if (text.Length > MaxMessageLength)
        {
            text = text[..MaxMessageLength];
        }

        headers.Add(DeadLetterHeaders.ExceptionType, Utf8(exception.GetType().FullName ?? exception.GetType().Name));
        headers.Add(DeadLetterHeaders.ExceptionMessage, Utf8(text));
        headers.Add(DeadLetterHeaders.OriginalTopic, Utf8(record.Topic));
        headers.Add(DeadLetterHeaders.OriginalPartition, Utf8(record.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(DeadLetterHeaders.OriginalOffset, Utf8(record.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(DeadLetterHeaders.Attempts, Utf8(attempts.ToString(CultureInfo.InvariantCulture)));
        headers.Add(DeadLetterHeaders.ConsumerGroup, Utf8(group));
        headers.Add(DeadLetterHeaders.FailedAt, Utf8(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
        return headers;
    }

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);
}
