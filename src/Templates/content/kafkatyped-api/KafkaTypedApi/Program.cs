using KafkaTypedApi;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

// With no KafkaTyped:BootstrapServers configured, the API starts an embedded Kafka cluster and Schema Registry in its
// own process. Point it at a real cluster with KafkaTyped__BootstrapServers=broker:9092 (see appsettings.json).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOrders(builder.Configuration);
builder.Services.AddOrdersTelemetry(builder.Configuration);
var app = builder.Build();

// POST /orders {"orderId":"order-1","amountCents":1250} produces an OrderPlaced; the consumer group records it.
app.MapPost("/orders", async (PlaceOrder order, IOrderEventsProducer orders, CancellationToken cancellationToken) =>
{
    if (string.IsNullOrWhiteSpace(order.OrderId) || order.AmountCents <= 0)
    {
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["order"] = ["orderId is required and amountCents must be positive"] });
    }

    var delivered = await orders.ProduceAsync(new OrderPlaced(order.OrderId, order.AmountCents), cancellationToken: cancellationToken);
    return Results.Accepted($"/orders/{order.OrderId}", new { order.OrderId, Partition = delivered.Partition.Value, Offset = delivered.Offset.Value });
});

// GET /orders/{id} reads the local replica of the order-status cache: no call to Kafka.
app.MapGet("/orders/{id}", (string id, OrderStatusCache statuses) =>
    statuses.TryGet(id, out var status)
        ? Results.Ok(new { status.OrderId, status.AmountCents, status.State })
        : Results.NotFound());

// Liveness: the consumer poll loops run. Readiness: groups joined and caches caught up.
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

app.Run();

/// <summary>The body of <c>POST /orders</c>.</summary>
internal sealed record PlaceOrder(string OrderId, long AmountCents);
