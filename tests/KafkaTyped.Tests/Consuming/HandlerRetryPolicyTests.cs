using Confluent.Kafka;
using KafkaTyped.Consuming;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaTyped.Tests.Consuming;

public sealed class HandlerRetryPolicyTests
{
    [Fact]
    public async Task A_failing_handler_gets_MaxAttempts_attempts_then_the_last_failure_is_thrown_for_the_dead_letter_topic()
    {
        var runs = 0;
        var attempt = Attempt(_ => { runs++; throw new InvalidOperationException($"failure {runs}"); });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Policy(maxAttempts: 3).ExecuteAsync(attempt, default).AsTask());

        Assert.Equal(3, runs);
        Assert.Equal(3, attempt.Number);
        Assert.Equal("failure 3", error.Message);
    }

    [Fact]
    public async Task A_non_retryable_failure_is_not_retried()
    {
        var runs = 0;
        var attempt = Attempt(_ => { runs++; throw new NonRetryableException("bad input"); });

        await Assert.ThrowsAsync<NonRetryableException>(() => Policy(maxAttempts: 5).ExecuteAsync(attempt, default).AsTask());
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task An_unreachable_registry_uses_up_no_attempt_and_the_record_is_handled_once_it_answers()
    {
        var runs = 0;
        var attempt = Attempt(_ =>
        {
            if (++runs <= 4)
            {
                throw new SchemaRegistryException("registry down");
            }
        });

        await Policy(maxAttempts: 1).ExecuteAsync(attempt, default);
        Assert.Equal(5, runs);
        Assert.Equal(1, attempt.Number); // the handler's context still says first attempt
    }

    [Fact]
    public async Task Without_a_dead_letter_topic_a_failing_record_is_retried_until_it_succeeds()
    {
        var runs = 0;
        var attempt = Attempt(_ =>
        {
            if (++runs < 6)
            {
                throw new InvalidOperationException("not yet");
            }
        });

        await Policy(maxAttempts: 2, deadLetters: false).ExecuteAsync(attempt, default);
        Assert.Equal(6, runs);
    }

    [Fact]
    public async Task Cancellation_stops_the_retries()
    {
        using var cancellation = new CancellationTokenSource();
        var runs = 0;
        var attempt = Attempt(_ =>
        {
            if (++runs == 2)
            {
                cancellation.Cancel();
            }

            throw new InvalidOperationException("failing");
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Policy(maxAttempts: 100).ExecuteAsync(attempt, cancellation.Token).AsTask());
        Assert.Equal(2, runs);
    }

    private static HandlerRetryPolicy Policy(int maxAttempts, bool deadLetters = true) => new(
        new ConsumerGroupOptions
        {
            Retry = { MaxAttempts = maxAttempts, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) },
            DeadLetter = { Enabled = deadLetters },
        },
        "g",
        NullLogger.Instance);

    private static HandlerRetryPolicy.Attempt Attempt(Action<HandlerRetryPolicy.Attempt> run)
    {
        var record = new ConsumeResult<byte[], byte[]> { Topic = "t", Partition = 0, Offset = 7, Message = new Message<byte[], byte[]> { Value = [] } };
        var lane = new LaneScope(new NoServices(), HandlerScope.Root, "g", NullLogger.Instance);
        return new HandlerRetryPolicy.Attempt(record, lane, (a, _) =>
        {
            run(a);
            return default;
        });
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
