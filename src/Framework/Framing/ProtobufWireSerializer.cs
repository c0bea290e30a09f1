using System.Buffers;
using Google.Protobuf;
using KafkaTyped.GeneratedCode;
using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.Framing;

/// <summary>
/// Writes messages of one registered message set in Confluent framing: header (magic, cached schema id, message-index
/// path) then the Protobuf payload, straight into an <see cref="IBufferWriter{T}"/>.
/// </summary>
/// <remarks>Thread-safe and allocation-free: the schema id and path come from arrays filled at startup.</remarks>
internal sealed class ProtobufWireSerializer
{
    private readonly RegisteredMessageSet set;

    /// <summary>Creates the serializer for a registered set.</summary>
    public ProtobufWireSerializer(RegisteredMessageSet set)
    {
        this.set = set ?? throw new ArgumentNullException(nameof(set));
    }

    /// <summary>The registered set.</summary>
    public RegisteredMessageSet Set => set;

    /// <summary>Writes one framed message.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="messageIndex">The member's index in <see cref="MessageSetDefinition.MessageNames"/>.</param>
    /// <param name="message">The message; generated records implement <see cref="IBufferMessage"/>.</param>
    public void Serialize<T>(IBufferWriter<byte> output, int messageIndex, T message)
        where T : IMessage
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        ConfluentWireFormat.WriteHeader(output, set.GetSchemaId(messageIndex), set.GetPath(messageIndex));
        message.WriteTo(output);
    }

    /// <summary>The framed length of a message (header plus <see cref="IMessage.CalculateSize"/>).</summary>
    public int GetFramedLength(int messageIndex, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ConfluentWireFormat.GetHeaderLength(set.GetPath(messageIndex)) + message.CalculateSize();
    }

    /// <summary>Writes one framed message into a new array (allocates; for tests and tools).</summary>
    public byte[] ToArray(int messageIndex, IMessage message)
    {
        var buffer = new byte[GetFramedLength(messageIndex, message)];
        var headerLength = ConfluentWireFormat.WriteHeader(buffer, set.GetSchemaId(messageIndex), set.GetPath(messageIndex));
        message.WriteTo(buffer.AsSpan(headerLength));
        return buffer;
    }

    /// <summary>
    /// Parses a payload (the bytes after the header) with a generated parser, turning Protobuf errors into
    /// <see cref="MessageFormatException"/>.
    /// </summary>
    public static T ParsePayload<T>(MessageParser<T> parser, ReadOnlySpan<byte> payload, string? topic = null, int? partition = null, long? offset = null)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(parser);
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new MessageFormatException($"The Protobuf payload could not be parsed as {typeof(T).Name}: {ex.Message}", topic, partition, offset, ex);
        }
    }
}
