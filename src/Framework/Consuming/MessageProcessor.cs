using System.Diagnostics;
using Confluent.Kafka;
using KafkaTyped.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Consuming;

/// <summary>
/// Runs one record through the group's dispatcher: a DI scope, the process span, in-place retries with backoff, and the
/// dead-letter topic when retries are exhausted, the exception is non-retryable or the record is undeserializable.
/// </summary>
internal sealed class MessageProcessor
{
    private readonly ConsumerGroupDispatcher dispatcher;
    private readonly IServiceProvider services;
    private readonly ConsumerGroupOptions options;
    private readonly DeadLetterPublisher deadLetters;
    private readonly ILogger logger;
    private readonly string group;

    public MessageProcessor(ConsumerGroupDispatcher dispatcher, IServiceProvider services, ConsumerGroupOptions options, DeadLetterPublisher deadLetters, ILogger logger)
    {
        this.dispatcher = dispatcher;
        this.services = services;
        this.options = options;
        this.deadLetters = deadLetters;
        this.logger = logger;
        group = dispatcher.GroupId;
    }

    /// <summary>Processes a record to completion.</summary>
    /// <returns>True when handled or dead-lettered; false when cancelled first (the record must not be committed).</returns>
    public async ValueTask<bool> ProcessAsync(ConsumeResult<byte[], byte[]> record, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = KafkaTracing.StartProcess(record, group);
        var tags = KafkaTypedMetrics.Tags(record.Topic, group);
        KafkaTypedMetrics.Consumed.Add(1, tags);
        var maxAttempts = Math.Max(1, options.Retry.MaxAttempts);
        var deadLetterEnabled = options.DeadLetter.Enabled;
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            try
            {
                await DispatchAsync(record, attempt, cancellationToken).ConfigureAwait(false);
                KafkaTypedMetrics.ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
                return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            KafkaTypedMetrics.Failed.Add(1, tags);
            var retryable = failure is not INonRetryableException;
            if (deadLetterEnabled && (!retryable || attempt >= maxAttempts))
            {
                activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
                activity?.SetTag(SemanticConventions.ErrorType, failure.GetType().FullName);
                var published = await deadLetters.PublishAsync(record, failure, attempt, cancellationToken).ConfigureAwait(false);
                KafkaTypedMetrics.ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
                return published;
            }

            var delay = options.Retry.DelayBefore(Math.Min(attempt, maxAttempts));
            ConsumingLog.Retrying(logger, failure, record.Topic, record.Partition.Value, record.Offset.Value, group, attempt, delay.TotalMilliseconds);
            KafkaTypedMetrics.Retried.Add(1, tags);
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private async ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, int attempt, CancellationToken cancellationToken)
    {
        var message = record.Message;
        var context = new MessageContext(record.Topic, record.Partition.Value, record.Offset.Value, message.Key, message.Headers, message.Timestamp.UtcDateTime, attempt, group);
        if (!options.ScopePerMessage)
        {
            await dispatcher.DispatchAsync(record, context, services, cancellationToken).ConfigureAwait(false);
            return;
        }

        var scope = services.CreateAsyncScope();
        try
        {
            await dispatcher.DispatchAsync(record, context, scope.ServiceProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
    }
}
