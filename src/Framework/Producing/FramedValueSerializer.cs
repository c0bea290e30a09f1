using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Hosting;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Producing;

/// <summary>
/// Writes one member of a message set as the codec's header (Confluent framing by default) followed by the Protobuf
/// payload, into an exactly sized per-thread send buffer (<see cref="ValueBufferCache.RentForSend"/>).
/// </summary>
/// <remarks>Only for <see cref="MessageSender{TKey, TMessage}"/>, which returns the buffer after each send.</remarks>
internal sealed class FramedValueSerializer<TMessage>(IPayloadCodec codec, MessageSetDefinition set, int messageIndex) : ISerializer<TMessage>
    where TMessage : class, IMessage
{
    public byte[] Serialize(TMessage data, SerializationContext context)
    {
        var headerLength = codec.GetHeaderLength(set, messageIndex);
        var value = ValueBufferCache.RentForSend(headerLength + data.CalculateSize(), forKey: false);
        codec.WriteHeader(set, messageIndex, value.AsSpan(0, headerLength));
        data.WriteTo(value.AsSpan(headerLength));
        return value;
    }
}
