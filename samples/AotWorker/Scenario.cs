using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AotWorker;

/// <summary>How many orders to place and how long the whole run may take (section <c>AotWorker</c>).</summary>
public sealed record ScenarioSettings(int Orders, TimeSpan Timeout)
{
    /// <summary>Reads <c>AotWorker:Orders</c> (default 100) and <c>AotWorker:Timeout</c> (default 2 minutes).</summary>
    public static ScenarioSettings From(IConfiguration configuration)
    {
        var orders = int.TryParse(configuration["AotWorker:Orders"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 100;
        var timeout = TimeSpan.TryParse(configuration["AotWorker:Timeout"], CultureInfo.InvariantCulture, out var t) && t > TimeSpan.Zero ? t : TimeSpan.FromMinutes(2);
        return new ScenarioSettings(orders, timeout);
    }
}

/// <summary>
/// The run: writes a credit limit through the replicated cache and reads it back, places the orders with the generated
/// producer (one of them invalid), waits until the consumer group billed every valid order, finds the invalid one in
/// <c>orders.dlq</c> with its dead-letter headers, then prints one line of results and stops the host.
/// </summary>
public sealed class Scenario(
    IOrderEventsProducer orders,
    CreditLimits limits,
    BilledOrders billed,
    KafkaCluster cluster,
    ScenarioSettings settings,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private const string Customer = "customer-1";
    private const long LimitCents = 50_000;
    private const string InvalidOrderId = "order-invalid";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            await RunAsync(timeout.Token);
            Environment.ExitCode = 0;
        }
        catch (Exception e)
        {
            var cause = timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested
                ? $"not done within {settings.Timeout} (billed {billed.Count} of {settings.Orders})"
                : e.ToString();
            await Console.Error.WriteLineAsync($"AOTWORKER FAILED: {cause}");
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await limits.WaitUntilReadyAsync(cancellationToken);
        await limits.SetAsync(Customer, new CreditLimit(Customer, LimitCents), cancellationToken);
        if (!limits.TryGet(Customer, out var limit) || limit.Cents != LimitCents)
        {
            throw new InvalidOperationException($"the cache did not return the credit limit just written for {Customer}");
        }

        // Amounts 1,000..N*1,000 cents: the first 50 are within the limit.
        var sends = new List<Task>(settings.Orders + 1);
        for (var n = 1; n <= settings.Orders; n++)
        {
            sends.Add(orders.ProduceAsync(new OrderPlaced($"order-{n}", n * 1_000L), cancellationToken: cancellationToken).AsTask());
        }

        sends.Add(orders.ProduceAsync(new OrderPlaced(InvalidOrderId, -1), cancellationToken: cancellationToken).AsTask());
        await Task.WhenAll(sends);

        while (billed.Count < settings.Orders)
        {
            await Task.Delay(20, cancellationToken);
        }

        var deadLetter = await ReadDeadLetterAsync(cancellationToken);
        var expectedWithinLimit = (int)Math.Min(settings.Orders, LimitCents / 1_000);
        if (billed.WithinLimit != expectedWithinLimit)
        {
            throw new InvalidOperationException($"{billed.WithinLimit} orders were billed within the limit; expected {expectedWithinLimit}");
        }

        var process = Process.GetCurrentProcess();
        var startup = billed.FirstHandledAt - process.StartTime.ToUniversalTime();
        var total = DateTime.UtcNow - process.StartTime.ToUniversalTime();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"AOTWORKER OK runtime={RuntimeKind()} billed={billed.Count} within-limit={billed.WithinLimit} " +
            $"dead-lettered={deadLetter} cache=ok startup-to-first-handled-ms={startup.TotalMilliseconds:0} total-ms={total.TotalMilliseconds:0} " +
            $"peak-rss-mb={PeakResidentMegabytes():0.0}"));
    }

    /// <summary>Reads <c>orders.dlq</c> from the start with a plain Confluent.Kafka consumer until the invalid order is there.</summary>
    private async Task<string> ReadDeadLetterAsync(CancellationToken cancellationToken)
    {
        var config = cluster.CreateConsumerConfig("aotworker-dlq-reader");
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnableAutoCommit = false;
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        consumer.Subscribe("orders.dlq");
        try
        {
            while (true)
            {
                ConsumeResult<string, byte[]>? record;
                try
                {
                    // Consume blocks; a short poll leaves the loop responsive to cancellation.
                    record = consumer.Consume(TimeSpan.FromMilliseconds(200));
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    // The dead-letter topic may not exist yet (it is created by the first dead letter).
                    await Task.Delay(100, cancellationToken);
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (record?.Message.Key != InvalidOrderId)
                {
                    continue;
                }

                var headers = record.Message.Headers;
                var originalTopic = headers.TryGetLastBytes(DeadLetterHeaders.OriginalTopic, out var topic) ? Encoding.UTF8.GetString(topic) : null;
                var error = headers.TryGetLastBytes(DeadLetterHeaders.ExceptionType, out var type) ? Encoding.UTF8.GetString(type) : null;
                if (originalTopic != "orders" || error is null || !error.Contains(nameof(NonRetryableException), StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"the dead letter of {InvalidOrderId} has {DeadLetterHeaders.OriginalTopic}={originalTopic} and {DeadLetterHeaders.ExceptionType}={error}");
                }

                return $"{record.Topic}[{record.Partition.Value}]@{record.Offset.Value}";
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>
    /// "native-aot" or "jit". Not RuntimeFeature.IsDynamicCodeSupported: PublishAot turns that switch off in the JIT build
    /// too; only a JIT has compiled methods.
    /// </summary>
    private static string RuntimeKind() => System.Runtime.JitInfo.GetCompiledMethodCount() > 0 ? "jit" : "native-aot";

    /// <summary>The process's peak resident set (VmHWM in /proc/self/status), in MiB; 0 where there is no /proc.</summary>
    private static double PeakResidentMegabytes()
    {
        const string Prefix = "VmHWM:";
        if (!File.Exists("/proc/self/status"))
        {
            return 0;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var kilobytes = line[Prefix.Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return 0;
    }
}
