using System.Text;
using Confluent.Kafka;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.IntegrationTests.Pipeline;

/// <summary>
/// Consume and produce interceptors through generated code on the embedded cluster: order, exceptions (still retried
/// and dead-lettered), short-circuits (still committed), headers added by produce interceptors.
/// </summary>
public sealed class InterceptorTests(PipelineHostFixture fixture) : IClassFixture<PipelineHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private IServiceProvider Services => fixture.Host.Services;

    [Fact]
    public async Task Interceptors_run_around_the_handler_in_registration_order()
    {
        var id = "ok-" + Guid.NewGuid().ToString("N");
        await Services.GetRequiredService<IPipelineEventsProducer>().ProduceAsync(new PipelineOrder(id, 1));

        var seen = await Services.GetRequiredService<PipelineJournal>().WaitForAsync(id, s => s.Count >= 5, Timeout);

        Assert.Equal(["outer:before", "order:before", "handler", "order:after", "outer:after"], seen.Select(e => e.Step));
        Assert.All(seen, e => Assert.Equal(1, e.Attempt));
    }

    [Fact]
    public async Task Interceptors_see_every_failed_attempt_and_the_record_is_still_retried_and_dead_lettered()
    {
        var id = "fail-" + Guid.NewGuid().ToString("N");
        var sent = await Services.GetRequiredService<IPipelineEventsProducer>().ProduceAsync(new PipelineOrder(id, 2));

        var seen = await Services.GetRequiredService<PipelineJournal>().WaitForAsync(id, s => s.Count(e => e.Step == "outer:exception") >= 3, Timeout);

        // Each of the three attempts went through both interceptors, innermost first on the way out.
        var expected = Enumerable.Range(1, 3).SelectMany(attempt => new[]
        {
            ("outer:before", attempt), ("order:before", attempt), ("handler", attempt), ("order:exception", attempt), ("outer:exception", attempt),
        });
        Assert.Equal(expected, seen.Select(e => (e.Step, e.Attempt)));

        var dead = await ReadDeadLetterAsync(id);
        Assert.NotNull(dead);
        Assert.Equal("3", Header(dead!, DeadLetterHeaders.Attempts));
        Assert.Equal(sent.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(dead!, DeadLetterHeaders.OriginalOffset));
        Assert.Equal(typeof(InvalidOperationException).FullName, Header(dead!, DeadLetterHeaders.ExceptionType));
    }

    [Fact]
    public async Task A_short_circuited_record_skips_the_handler_and_is_committed()
    {
        var id = "skip-" + Guid.NewGuid().ToString("N");
        var sent = await Services.GetRequiredService<IPipelineEventsProducer>().ProduceAsync(new PipelineOrder(id, 3));
        var journal = Services.GetRequiredService<PipelineJournal>();

        var seen = await journal.WaitForAsync(id, s => s.Any(e => e.Step == "outer:after"), Timeout);

        Assert.Equal(["outer:before", "order:before", "order:skipped", "outer:after"], seen.Select(e => e.Step));
        var committed = await WaitForCommitAsync(sent.TopicPartition, sent.Offset.Value + 1);
        Assert.True(committed >= sent.Offset.Value + 1, $"committed {committed}, expected past {sent.Offset.Value}");
        Assert.DoesNotContain(journal.Of(id), e => e.Step == "handler");
    }

    [Fact]
    public async Task Produce_interceptors_add_headers_and_see_each_outcome_on_both_send_paths()
    {
        var producer = Services.GetRequiredService<IPipelineEventsProducer>();
        var journal = Services.GetRequiredService<PipelineJournal>();
        var interceptor = Services.GetRequiredService<TenantHeaderInterceptor>();
        var awaited = "ok-" + Guid.NewGuid().ToString("N");
        var queued = "ok-" + Guid.NewGuid().ToString("N");

        // The caller's own header stays; the interceptor's is added next to it.
        var result = await producer.ProduceAsync(new PipelineOrder(awaited, 7), new Headers { { "x-caller", [1] } });
        var reported = new TaskCompletionSource<DeliveryReport<string, PipelineOrder>>(TaskCreationOptions.RunContinuationsAsynchronously);
        producer.Produce(new PipelineOrder(queued, 8), report => reported.TrySetResult(report));
        var report = await reported.Task.WaitAsync(Timeout);

        Assert.Equal("x-caller", result.Message.Headers[0].Key);
        Assert.Equal("tenant-7", Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes("x-tenant")));
        Assert.False(report.Error.IsError);
        var handledAwaited = await journal.WaitForAsync(awaited, s => s.Any(e => e.Step == "handler"), Timeout);
        var handledQueued = await journal.WaitForAsync(queued, s => s.Any(e => e.Step == "handler"), Timeout);
        Assert.Equal("tenant-7", handledAwaited.Single(e => e.Step == "handler").Tenant);
        Assert.Equal("tenant-8", handledQueued.Single(e => e.Step == "handler").Tenant);

        // Before the send nothing is known; after it, the interceptor saw the very partition and offset the caller got.
        var awaitedSteps = interceptor.Seen.Where(s => s.OrderId == awaited).ToArray();
        Assert.Equal([("produce", -1, -1L, false), ("delivered", result.Partition.Value, result.Offset.Value, false)],
            awaitedSteps.Select(s => (s.Step, s.Partition, s.Offset, s.Failed)));
        var queuedSteps = interceptor.Seen.Where(s => s.OrderId == queued).ToArray();
        Assert.Equal([("produce", -1, -1L, false), ("delivered", report.Partition.Value, report.Offset.Value, false)],
            queuedSteps.Select(s => (s.Step, s.Partition, s.Offset, s.Failed)));
    }

    private async Task<long> WaitForCommitAsync(TopicPartition partition, long atLeast)
    {
        var cluster = Services.GetRequiredService<KafkaCluster>();
        using var reader = new ConsumerBuilder<byte[], byte[]>(cluster.CreateConsumerConfig("pipeline-orders-group")).Build();
        var deadline = DateTime.UtcNow + Timeout;
        long committed = -1;
        while (DateTime.UtcNow < deadline)
        {
            committed = reader.Committed([partition], TimeSpan.FromSeconds(10)).Single().Offset.Value;
            if (committed >= atLeast)
            {
                break;
            }

            await Task.Delay(100);
        }

        return committed;
    }

    private async Task<ConsumeResult<byte[], byte[]>?> ReadDeadLetterAsync(string key)
    {
        var cluster = Services.GetRequiredService<KafkaCluster>();
        var config = cluster.CreateConsumerConfig("pipeline-dlq-reader-" + Guid.NewGuid().ToString("N"));
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        using var reader = new ConsumerBuilder<byte[], byte[]>(config).Build();
        reader.Subscribe("pipeline-orders.dlq");
        var deadline = DateTime.UtcNow + Timeout;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                var record = await Task.Run(() => reader.Consume(TimeSpan.FromMilliseconds(500)));
                if (record?.Message?.Key is { } k && Encoding.UTF8.GetString(k) == key)
                {
                    return record;
                }
            }

            return null;
        }
        finally
        {
            reader.Close();
        }
    }

    private static string? Header(ConsumeResult<byte[], byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;
}
