using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.SchemaRegistry.Embedded;

namespace KafkaTyped.IntegrationTests.SchemaRegistry;

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
