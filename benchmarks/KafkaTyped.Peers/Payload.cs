using System.Buffers.Binary;
using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.EndToEnd;
using KafkaTyped.Framing;

namespace KafkaTyped.Peers;

/// <summary>
/// One payload size, as each framework carries it. The data bytes are the same everywhere: KafkaTyped and the raw client
/// carry them as a Confluent-framed Protobuf <see cref="BytesValue"/> of exactly <see cref="Size"/> bytes; Wolverine
/// carries them in <see cref="PeerMessage"/> with its natural serializer (System.Text.Json, so base64) and its envelope
/// headers. The first 16 data bytes hold the send timestamp, the key and the key's sequence number.
/// </summary>
internal sealed class Payload
{
    public const int HeaderLength = 6;

    public Payload(int size)
    {
        Size = size;
        var dataLength = size - HeaderLength - 2;
        while (HeaderLength + 1 + CodedOutputStream.ComputeLengthSize(dataLength) + dataLength > size)
        {
            dataLength--;
        }

        DataLength = dataLength;
        Message = new BytesValue { Value = ByteString.CopyFrom(new byte[dataLength]) };
        Framed = new byte[size];
        new ConfluentFramingWithoutRegistry().WriteHeader(new BenchSet("x"), 0, Framed.AsSpan(0, HeaderLength));
        Message.WriteTo(Framed.AsSpan(HeaderLength));
        DataOffset = size - dataLength;
        if (HeaderLength + Message.CalculateSize() != size)
        {
            throw new InvalidOperationException($"payload of {size} B came out as {HeaderLength + Message.CalculateSize()} B");
        }
    }

    /// <summary>The bytes on the wire for the raw client and KafkaTyped (framing header + Protobuf).</summary>
    public int Size { get; }

    public int DataLength { get; }

    /// <summary>Where the data bytes start in <see cref="Framed"/>.</summary>
    public int DataOffset { get; }

    public byte[] Framed { get; }

    public BytesValue Message { get; }

    public string Label => Size >= 1024 ? $"{Size / 1024} KB" : $"{Size} B";

    /// <summary>Writes the send time (now), the key and its sequence number into the data bytes.</summary>
    public static void Stamp(Span<byte> data, int key, int sequence, bool warmUp = false)
    {
        BinaryPrimitives.WriteInt64LittleEndian(data, warmUp ? 0 : Stopwatch.GetTimestamp());
        BinaryPrimitives.WriteInt32LittleEndian(data[8..], key);
        BinaryPrimitives.WriteInt32LittleEndian(data[12..], sequence);
    }

    /// <summary>A fresh data array, stamped (Wolverine serializes after PublishAsync returns, so it cannot share one).</summary>
    public byte[] NewData(int key, int sequence, bool warmUp = false)
    {
        var data = new byte[DataLength];
        Stamp(data, key, sequence, warmUp);
        return data;
    }
}

/// <summary>Wolverine's message: the same data bytes as the others' <see cref="BytesValue"/>.</summary>
public sealed record PeerMessage(byte[] Data);
