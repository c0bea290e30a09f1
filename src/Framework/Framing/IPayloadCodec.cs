using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;

namespace KafkaTyped.Framing;

/// <summary>
/// Frames record values: the bytes written before, and read before, the Protobuf payload of a message of a
/// <see cref="MessageSetDefinition"/>. The Schema Registry wire format plugs in here by replacing the registered service.
/// </summary>
/// <remarks>
/// Producers call <see cref="PrepareAsync"/> once per set before the first write (a registry implementation registers
/// or looks up schema ids there), so <see cref="GetHeaderLength"/> and <see cref="WriteHeader"/> stay synchronous and
/// allocation-free. Implementations are singletons and must be thread-safe.
/// </remarks>
public interface IPayloadCodec
{
    /// <summary>Gets ready to write values of <paramref name="set"/> (for example registers its schema). Idempotent.</summary>
    ValueTask PrepareAsync(MessageSetDefinition set, CancellationToken cancellationToken = default);

    /// <summary>The header length for member <paramref name="messageIndex"/> of <paramref name="set"/>.</summary>
    int GetHeaderLength(MessageSetDefinition set, int messageIndex);

    /// <summary>Writes the header for member <paramref name="messageIndex"/>; <paramref name="destination"/> has exactly <see cref="GetHeaderLength"/> bytes.</summary>
    void WriteHeader(MessageSetDefinition set, int messageIndex, Span<byte> destination);

    /// <summary>Reads the header of a consumed value.</summary>
    /// <param name="set">The set the value's topic carries.</param>
    /// <param name="value">The whole record value.</param>
    /// <param name="messageIndex">The member's index in <see cref="MessageSetDefinition.MessageNames"/>.</param>
    /// <param name="headerLength">Bytes before the Protobuf payload.</param>
    /// <param name="error">Why the header is invalid, when false is returned.</param>
    /// <returns>False when the value is not framed as expected.</returns>
    bool TryReadHeader(MessageSetDefinition set, ReadOnlySpan<byte> value, out int messageIndex, out int headerLength, out string? error);

    /// <summary>
    /// Does, asynchronously and cancellably, whatever <see cref="TryReadHeader"/> would otherwise have to block on for
    /// <paramref name="value"/> (a registry codec fetches a schema id it has not seen yet). The consume path calls it
    /// before dispatching each record, so that no thread-pool thread waits on the network; it must return a completed
    /// task at once when there is nothing to do. Errors about the value itself are left to <see cref="TryReadHeader"/>.
    /// </summary>
    /// <param name="set">The set the value's topic carries.</param>
    /// <param name="value">The whole record value.</param>
    /// <param name="cancellationToken">Cancels the wait (revoke past its drain timeout, shutdown).</param>
    /// <exception cref="SchemaRegistry.SchemaRegistryException">The registry cannot be reached (the record waits and is retried).</exception>
    ValueTask PrepareToReadAsync(MessageSetDefinition set, byte[] value, CancellationToken cancellationToken) => default;
}
