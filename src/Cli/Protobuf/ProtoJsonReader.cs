using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using FieldType = Google.Protobuf.Reflection.FieldType;

namespace KafkaTyped.Cli.Protobuf;

/// <summary>
/// Reads a Protobuf payload with a <see cref="MessageDescriptor"/> only (no compiled type) and renders it as proto3
/// JSON: lowerCamel names, 64-bit integers as strings, bytes as base64, enums by name, Timestamp, Duration and
/// wrappers in their JSON forms. Fields absent from the wire print their defaults (as <c>JsonFormatter</c> with
/// default values does), so a reader sees every field; fields with presence that are absent are left out.
/// </summary>
/// <remarks>
/// Google.Protobuf's <c>JsonFormatter</c> needs a compiled message instance; there is no dynamic message in its C# API,
/// hence this walker.
/// </remarks>
internal static class ProtoJsonReader
{
    /// <exception cref="PayloadFormatException">The bytes are not a valid encoding of the message.</exception>
    public static JsonNode? Read(MessageDescriptor descriptor, ReadOnlySpan<byte> payload)
    {
        var raw = ReadMessage(descriptor, payload);
        return WellKnownJson.TryFormat(descriptor, raw, out var formatted) ? formatted : raw;
    }

    private static JsonObject ReadMessage(MessageDescriptor descriptor, ReadOnlySpan<byte> data)
    {
        var values = new Dictionary<int, List<JsonNode?>>();
        var reader = new WireReader(data);
        while (!reader.End)
        {
            var tag = reader.ReadVarint();
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            if (number <= 0)
            {
                throw new PayloadFormatException($"Invalid field number 0 in {descriptor.FullName}.");
            }

            var field = descriptor.FindFieldByNumber(number);
            if (field is null || field.FieldType == FieldType.Group)
            {
                reader.Skip(wireType);
                continue;
            }

            if (!values.TryGetValue(number, out var list))
            {
                values[number] = list = [];
            }

            if (field.IsMap)
            {
                list.Add(ReadMapEntry(field, reader.ReadLengthDelimited()));
            }
            else if (field.IsRepeated && wireType == 2 && IsPackable(field.FieldType))
            {
                var packed = new WireReader(reader.ReadLengthDelimited());
                while (!packed.End)
                {
                    list.Add(ReadScalar(field, PackedWireType(field.FieldType), ref packed));
                }
            }
            else if (wireType != ExpectedWireType(field.FieldType))
            {
                reader.Skip(wireType);
            }
            else
            {
                list.Add(ReadScalar(field, wireType, ref reader));
            }
        }

        var result = new JsonObject();
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (field.FieldType == FieldType.Group)
            {
                continue;
            }

            values.TryGetValue(field.FieldNumber, out var found);
            if (field.IsMap)
            {
                var map = new JsonObject();
                foreach (var entry in found ?? [])
                {
                    var pair = (JsonArray)entry!;
                    var key = pair[0]!.GetValue<string>();
                    map.Remove(key);
                    map[key] = pair[1]?.DeepClone();
                }

                result[field.JsonName] = map;
            }
            else if (field.IsRepeated)
            {
                result[field.JsonName] = new JsonArray((found ?? []).Select(v => v?.DeepClone()).ToArray());
            }
            else if (found is { Count: > 0 })
            {
                result[field.JsonName] = found[^1]?.DeepClone();
            }
            else if (!field.HasPresence)
            {
                result[field.JsonName] = DefaultValue(field);
            }
        }

        return result;
    }

    // A map entry comes back as [key as string, value].
    private static JsonArray ReadMapEntry(FieldDescriptor field, ReadOnlySpan<byte> data)
    {
        var entry = field.MessageType;
        var decoded = ReadMessage(entry, data);
        var keyField = entry.FindFieldByNumber(1);
        var valueField = entry.FindFieldByNumber(2);
        var key = decoded[keyField.JsonName] is { } k ? KeyText(k) : "";
        var value = decoded[valueField.JsonName]?.DeepClone() ?? DefaultValue(valueField);
        return new JsonArray(JsonValue.Create(key), value);
    }

    private static string KeyText(JsonNode key) => key.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => key.GetValue<string>(),
        System.Text.Json.JsonValueKind.True => "true",
        System.Text.Json.JsonValueKind.False => "false",
        _ => key.ToJsonString(),
    };

    private static JsonNode? ReadScalar(FieldDescriptor field, int wireType, ref WireReader reader)
    {
        switch (field.FieldType)
        {
            case FieldType.Double:
                return Number(BitConverter.Int64BitsToDouble((long)reader.ReadFixed64()));
            case FieldType.Float:
                return Number(BitConverter.Int32BitsToSingle((int)reader.ReadFixed32()));
            case FieldType.Int64:
                return JsonValue.Create(((long)reader.ReadVarint()).ToString(CultureInfo.InvariantCulture));
            case FieldType.UInt64:
                return JsonValue.Create(reader.ReadVarint().ToString(CultureInfo.InvariantCulture));
            case FieldType.Int32:
                return JsonValue.Create((int)reader.ReadVarint());
            case FieldType.Fixed64:
                return JsonValue.Create(reader.ReadFixed64().ToString(CultureInfo.InvariantCulture));
            case FieldType.Fixed32:
                return JsonValue.Create(reader.ReadFixed32());
            case FieldType.Bool:
                return JsonValue.Create(reader.ReadVarint() != 0);
            case FieldType.String:
                return JsonValue.Create(Encoding.UTF8.GetString(reader.ReadLengthDelimited()));
            case FieldType.Bytes:
                return JsonValue.Create(Convert.ToBase64String(reader.ReadLengthDelimited()));
            case FieldType.UInt32:
                return JsonValue.Create((uint)reader.ReadVarint());
            case FieldType.SFixed32:
                return JsonValue.Create((int)reader.ReadFixed32());
            case FieldType.SFixed64:
                return JsonValue.Create(((long)reader.ReadFixed64()).ToString(CultureInfo.InvariantCulture));
            case FieldType.SInt32:
                var zig32 = (uint)reader.ReadVarint();
                return JsonValue.Create((int)(zig32 >> 1) ^ -(int)(zig32 & 1));
            case FieldType.SInt64:
                var zig64 = reader.ReadVarint();
                return JsonValue.Create(((long)(zig64 >> 1) ^ -(long)(zig64 & 1)).ToString(CultureInfo.InvariantCulture));
            case FieldType.Enum:
                var number = (int)reader.ReadVarint();
                var value = field.EnumType.FindValueByNumber(number);
                return value is null ? JsonValue.Create(number) : JsonValue.Create(value.Name);
            case FieldType.Message:
                return Read(field.MessageType, reader.ReadLengthDelimited());
            default:
                reader.Skip(wireType);
                return null;
        }
    }

    private static JsonNode Number(double value) =>
        double.IsNaN(value) ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(value) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(value) ? JsonValue.Create("-Infinity")
        : JsonValue.Create(value);

    internal static JsonNode? DefaultValue(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Bool => JsonValue.Create(false),
        FieldType.String or FieldType.Bytes => JsonValue.Create(string.Empty),
        FieldType.Int64 or FieldType.UInt64 or FieldType.Fixed64 or FieldType.SFixed64 or FieldType.SInt64 => JsonValue.Create("0"),
        FieldType.Enum => field.EnumType.Values.Count > 0 ? JsonValue.Create(field.EnumType.Values[0].Name) : JsonValue.Create(0),
        FieldType.Message => null,
        _ => JsonValue.Create(0),
    };

    internal static bool IsPackable(FieldType type) => type is not (FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group);

    internal static int ExpectedWireType(FieldType type) => type switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => 1,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => 5,
        FieldType.String or FieldType.Bytes or FieldType.Message => 2,
        FieldType.Group => 3,
        _ => 0,
    };

    private static int PackedWireType(FieldType type) => ExpectedWireType(type);

    /// <summary>A forward-only reader of the Protobuf wire format.</summary>
    private ref struct WireReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private int position;

        public readonly bool End => position >= data.Length;

        public ulong ReadVarint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (position >= data.Length)
                {
                    throw new PayloadFormatException("The payload ends inside a varint.");
                }

                var b = data[position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new PayloadFormatException("A varint is longer than 10 bytes.");
        }

        public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public ReadOnlySpan<byte> ReadLengthDelimited()
        {
            var length = ReadVarint();
            if (length > int.MaxValue)
            {
                throw new PayloadFormatException("A length is out of range.");
            }

            return Take((int)length);
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case 0: ReadVarint(); break;
                case 1: Take(8); break;
                case 2: ReadLengthDelimited(); break;
                case 5: Take(4); break;
                default: throw new PayloadFormatException($"Unsupported wire type {wireType}.");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || position + count > data.Length)
            {
                throw new PayloadFormatException("The payload is truncated.");
            }

            var slice = data.Slice(position, count);
            position += count;
            return slice;
        }
    }
}

/// <summary>A payload is not a valid encoding of the message its header names.</summary>
internal sealed class PayloadFormatException(string message) : FormatException(message);
