using System.Collections.Concurrent;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;

namespace KafkaTyped.Framing;

/// <summary>
/// The <see cref="IPayloadCodec"/> on a Schema Registry: the Confluent wire format with the schema ids registered (or
/// looked up) for each set, and records written with other versions of a set's schema resolved through the registry.
/// Registered by <see cref="KafkaTypedServiceCollectionExtensions.AddKafkaTypedRegistryFraming"/>.
/// </summary>
/// <remarks>
/// Singleton; thread-safe. <see cref="PrepareAsync"/> must have completed for a set before its values are written or
/// read (typed producers call it on first use, consumers at start). Reading a schema id this process has not seen
/// fetches it once, blocking that partition's lane; a registry outage then throws <see cref="SchemaRegistryException"/>,
/// which the consumer retries without dead-lettering.
/// </remarks>
internal sealed class SchemaRegistryPayloadCodec : IPayloadCodec
{
    private readonly SchemaRegistryProvider provider;
    private readonly SchemaRegistrationOptions registrationOptions;
    private readonly ILoggerFactory loggerFactory;
    private readonly ConcurrentDictionary<MessageSetDefinition, Entry> entries = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Creates the codec (DI constructor).</summary>
    public SchemaRegistryPayloadCodec(SchemaRegistryProvider provider, IOptions<SchemaRegistrationOptions> registrationOptions, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(registrationOptions);
        this.provider = provider;
        this.registrationOptions = registrationOptions.Value;
        this.loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <inheritdoc />
    public async ValueTask PrepareAsync(MessageSetDefinition set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (entries.ContainsKey(set))
        {
            return;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (entries.ContainsKey(set))
            {
                return;
            }

            var registry = await provider.GetRegistryAsync(cancellationToken).ConfigureAwait(false);
            var registration = new SchemaRegistration(registry, registrationOptions, loggerFactory.CreateLogger<SchemaRegistration>());
            var registered = await registration.RegisterAsync(set, isKey: false, cancellationToken).ConfigureAwait(false);
            entries[set] = new Entry(registered, new MessageIndexResolver(registered, registry, loggerFactory.CreateLogger<MessageIndexResolver>()));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public int GetHeaderLength(MessageSetDefinition set, int messageIndex) =>
        ConfluentWireFormat.GetHeaderLength(Get(set).Registered.GetPath(messageIndex));

    /// <inheritdoc />
    public void WriteHeader(MessageSetDefinition set, int messageIndex, Span<byte> destination)
    {
        var registered = Get(set).Registered;
        ConfluentWireFormat.WriteHeader(destination, registered.GetSchemaId(messageIndex), registered.GetPath(messageIndex));
    }

    /// <inheritdoc />
    public bool TryReadHeader(MessageSetDefinition set, ReadOnlySpan<byte> value, out int messageIndex, out int headerLength, out string? error)
    {
        var entry = Get(set);
        messageIndex = -1;
        headerLength = 0;
        var wireError = ConfluentWireFormat.TryReadHeader(value, out var header);
        if (wireError != WireError.None)
        {
            error = ConfluentWireFormat.CreateException(wireError, value, set.Topic).Reason; // the caller adds the coordinates
            return false;
        }

        if (!entry.Resolver.TryResolve(header, out messageIndex))
        {
            try
            {
                // A schema id written by another version of the set: fetched once, then a dictionary hit.
                messageIndex = entry.Resolver.ResolveAsync(header, set.Topic).AsTask().GetAwaiter().GetResult();
            }
            catch (MessageFormatException exception)
            {
                error = exception.Reason;
                return false;
            }
        }

        headerLength = header.PayloadOffset;
        error = null;
        return true;
    }

    /// <inheritdoc />
    public ValueTask PrepareToReadAsync(MessageSetDefinition set, byte[] value, CancellationToken cancellationToken)
    {
        if (!entries.TryGetValue(set, out var entry)
            || ConfluentWireFormat.TryReadHeader(value, out var header) != WireError.None
            || entry.Resolver.TryResolve(header, out _))
        {
            return default; // known id, or a value TryReadHeader will reject with the reason
        }

        return ResolveQuietlyAsync(entry.Resolver, header, set.Topic, cancellationToken);
    }

    private static async ValueTask ResolveQuietlyAsync(MessageIndexResolver resolver, WireHeader header, string topic, CancellationToken cancellationToken)
    {
        try
        {
            // Fetched and cached here, off the thread pool's back; TryReadHeader then finds it in the cache.
            await resolver.ResolveAsync(header, topic, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (MessageFormatException)
        {
            // An id that maps to nothing this set knows: TryReadHeader reports it (and the record is dead-lettered).
        }
    }

    private Entry Get(MessageSetDefinition set) =>
        entries.TryGetValue(set, out var entry)
            ? entry
            : throw new InvalidOperationException($"The schema of {set} was not prepared: call IPayloadCodec.PrepareAsync for the set before writing or reading its values.");

    private sealed record Entry(RegisteredMessageSet Registered, MessageIndexResolver Resolver);
}
