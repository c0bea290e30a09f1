using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaTypedWorker;

/// <summary>Places an order every <see cref="OrderSourceOptions.Interval"/> with the generated producer.</summary>
public sealed class OrderSource(IOrderEventsProducer orders, IOptions<OrderSourceOptions> options, ILogger<OrderSource> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        for (var n = 1; n <= settings.Count && !stoppingToken.IsCancellationRequested; n++)
        {
            var order = new OrderPlaced($"order-{n}", 100 * n + 50);
            var delivered = await orders.ProduceAsync(order, cancellationToken: stoppingToken);
            logger.LogInformation("Placed {OrderId} on {Topic} partition {Partition}", order.OrderId, delivered.Topic, delivered.Partition.Value);
            await Task.Delay(settings.Interval, stoppingToken);
        }
    }
}

/// <summary>Options of <see cref="OrderSource"/> (section <c>OrderSource</c>).</summary>
public sealed class OrderSourceOptions
{
    /// <summary>How many orders to place. Default 10.</summary>
    public int Count { get; set; } = 10;

    /// <summary>The pause between two orders. Default 1 second.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);
}
