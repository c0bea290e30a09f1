using Confluent.SchemaRegistry;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.SchemaRegistry.Confluent;
using KafkaTyped.Embedded.SchemaRegistry;
using Microsoft.Extensions.DependencyInjection;
using Schema = KafkaTyped.SchemaRegistry.Schema;
using SchemaReference = KafkaTyped.SchemaRegistry.SchemaReference;

namespace KafkaTyped.IntegrationTests.SchemaRegistry;

public enum RegistryClientKind
{
    KafkaTyped,
    Confluent,
}

internal static class RegistryTestHelpers
{
    /// <summary>Starts an embedded registry on the shared cluster with its own store topic, so tests never share state.</summary>
    public static Task<EmbeddedSchemaRegistry> StartRegistryAsync(EmbeddedClusterFixture fixture, string? topic = null, Action<EmbeddedSchemaRegistryOptions>? configure = null)
    {
        var options = new EmbeddedSchemaRegistryOptions { Topic = topic ?? "_schemas-" + Guid.NewGuid().ToString("N")[..12] };
        configure?.Invoke(options);
        return EmbeddedSchemaRegistry.StartAsync(fixture.Cluster, options);
    }

    public static SchemaRegistryClient Client(params string[] urls) =>
        new(new SchemaRegistryOptions { Urls = urls, MaxRetries = 1, RetryBackoff = TimeSpan.FromMilliseconds(20), RequestTimeout = TimeSpan.FromSeconds(10) });

    /// <summary>KafkaTyped's client, or Confluent's behind the adapter: the tests that take a kind run against both.</summary>
    public static ISchemaRegistry Client(RegistryClientKind kind, string url) =>
        kind == RegistryClientKind.KafkaTyped ? Client(url) : ConfluentSchemaRegistry.Adapt(ConfluentClient(url));

    /// <summary>Confluent.SchemaRegistry 2.16's own client, with one quick retry like <see cref="Client(string[])"/>.</summary>
    public static CachedSchemaRegistryClient ConfluentClient(string url) =>
        new(new SchemaRegistryConfig { Url = url, MaxRetries = 1, RetriesWaitMs = 20, RetriesMaxWaitMs = 100, RequestTimeoutMs = 10_000 });

    /// <summary>In a host: nothing for KafkaTyped's client (the default), or Confluent's client registered as an application would.</summary>
    public static void UseClient(IServiceCollection services, RegistryClientKind kind, string url)
    {
        if (kind == RegistryClientKind.Confluent)
        {
            services.AddSingleton<ISchemaRegistryClient>(ConfluentClient(url));
            services.AddKafkaTypedConfluentSchemaRegistry();
        }
    }

    public static Schema Text(string proto, params SchemaReference[] references) => new(proto, Schema.Protobuf, references);

    public const string OrderV1 = """
        syntax = "proto3";
        package shop;
        message Order {
          string id = 1;
          int32 qty = 2;
        }
        """;

    public const string OrderV2 = """
        syntax = "proto3";
        package shop;
        message Order {
          string id = 1;
          int32 qty = 2;
          string note = 3;
        }
        """;

    public const string OrderIncompatible = """
        syntax = "proto3";
        package shop;
        message Order {
          string id = 1;
          string qty = 2;
        }
        """;
}
