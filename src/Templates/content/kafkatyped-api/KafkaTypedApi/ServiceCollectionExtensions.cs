using KafkaTyped.Cache;
using KafkaTyped.Diagnostics;
using KafkaTyped.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace KafkaTypedApi;

/// <summary>Registers the order service: what Program.cs and the tests share.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>KafkaTyped (the generated <c>AddKafkaTyped</c>: producer, consumer group, cache, Schema Registry) and its health checks.</summary>
    public static IServiceCollection AddOrders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKafkaTyped(configuration);
        services.AddHealthChecks().AddKafkaTypedConsumers().AddReplicatedCaches();
        return services;
    }

    /// <summary>
    /// Traces and metrics of KafkaTyped (produce and process spans linked through the <c>traceparent</c> header) and of
    /// ASP.NET Core. Written to the console when <c>OpenTelemetry:Console</c> is true; add the exporter you use (OTLP,
    /// Prometheus) here.
    /// </summary>
    public static IServiceCollection AddOrdersTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var console = configuration.GetValue<bool>("OpenTelemetry:Console");
        services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                tracing.AddSource(KafkaTypedDiagnostics.Name, "Microsoft.AspNetCore");
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(KafkaTypedDiagnostics.Name, "Microsoft.AspNetCore.Hosting");
                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            });
        return services;
    }
}
