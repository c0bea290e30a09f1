using Confluent.SchemaRegistry;
using KafkaTyped.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KafkaTyped.SchemaRegistry.Confluent;

/// <summary>
/// Puts an application's Confluent <see cref="ISchemaRegistryClient"/> behind KafkaTyped's <see cref="ISchemaRegistry"/>,
/// so registration at startup and schema lookups on the consume path share the client (and its cache, auth and
/// settings) with the application's other Confluent serdes.
/// </summary>
/// <remarks>
/// KafkaTyped's built-in client stays the default (trim/AOT-safe, compatibility messages, deletes). Through
/// Confluent's client: compatibility tests report a bare verdict (no messages) and only against the latest version,
/// and deletes throw <see cref="NotSupportedException"/> because Confluent's interface has none. Everything KafkaTyped
/// itself calls behaves the same: registrations, lookups and ids are cached (hits complete synchronously without
/// allocating), registry errors become <see cref="SchemaRegistryException"/> with the registry's code and HTTP status,
/// and an unreachable registry is <see cref="SchemaRegistryException.Unreachable"/> (transient: consumers wait, no
/// dead letter).
/// </remarks>
public static class ConfluentSchemaRegistry
{
    /// <summary>Wraps a Confluent client (which stays the caller's: disposing the result does not dispose it).</summary>
    public static ISchemaRegistry Adapt(ISchemaRegistryClient client) => new ConfluentSchemaRegistryAdapter(client ?? throw new ArgumentNullException(nameof(client)));

    /// <summary>
    /// Makes KafkaTyped use the <see cref="ISchemaRegistryClient"/> registered in the container (register it yourself,
    /// for example <c>services.AddSingleton&lt;ISchemaRegistryClient&gt;(new CachedSchemaRegistryClient(config))</c>).
    /// Call it before or after <c>AddKafkaTyped</c>; the embedded registry is then not started.
    /// </summary>
    public static IServiceCollection AddKafkaTypedConfluentSchemaRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Replace(ServiceDescriptor.Singleton<ISchemaRegistry>(static sp => new ConfluentSchemaRegistryAdapter(sp.GetRequiredService<ISchemaRegistryClient>())));
        return services;
    }
}
