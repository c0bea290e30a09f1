using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using FieldType = Google.Protobuf.Reflection.FieldType;

namespace KafkaTyped.Cli.Protobuf;

/// <summary>
/// Encodes proto3 JSON into a Protobuf payload with a <see cref="MessageDescriptor"/> only: the reverse of
/// <see cref="ProtoJsonReader"/>. Accepts lowerCamel or original field names, 64-bit integers as numbers or strings,
/// enums by name or number, bytes as base64. Fields are written in field-number order, defaults omitted (as generated
/// code writes them), repeated scalars packed when the schema packs them.
/// </summary>
internal static class ProtoJsonWriter
{
    /// <exception cref="FormatException">The JSON does not fit the message; the message names the field path.</exception>
    public static byte[] Write(MessageDescriptor descriptor, JsonElement json)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer, leaveOpen: true);
        WriteMessage(descriptor, json, output, descriptor.Name);
        output.Flush();
        return buffer.ToArray();
    }

    private static void WriteMessage(MessageDescriptor descriptor, JsonElement json, CodedOutputStream output, string path)
    {
        JsonObject? special;
        try
        {
            special = WellKnownJson.TryParse(descriptor, json);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}");
        }

        if (special is not null)
        {
            json = JsonSerializer.SerializeToElement(special);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}: expected a JSON object for {descriptor.FullName}, got {Describe(json)}");
        }

        var given = new List<(FieldDescriptor Field, JsonElement Value)>();
        foreach (var property in json.EnumerateObject())
        {
            var field = descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == property.Name || f.Name == property.Name);
            if (field is null)
            {
                var names = string.Join(", ", descriptor.Fields.InDeclarationOrder().Select(f => f.JsonName));
                throw new FormatException($"{path}: '{property.Name}' is not a field of {descriptor.FullName} (fields: {names})");
            }

            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                given.Add((field, property.Value));
            }
        }

        foreach (var (field, value) in given.OrderBy(g => g.Field.FieldNumber))
        {
            WriteField(field, value, output, path + "." + field.JsonName);
        }
    }

    private static void WriteField(FieldDescriptor field, JsonElement value, CodedOutputStream output, string path)
    {
        if (field.IsMap)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{path}: expected a JSON object (a map), got {Describe(value)}");
            }

            var keyField = field.MessageType.FindFieldByNumber(1);
            var valueField = field.MessageType.FindFieldByNumber(2);
            foreach (var entry in value.EnumerateObject())
            {
                var entryBytes = Nested(o =>
                {
                    WriteSingle(keyField, KeyElement(keyField, entry.Name), o, path + "." + entry.Name, always: true);
                    WriteSingle(valueField, entry.Value, o, path + "." + entry.Name, always: true);
                });
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(entryBytes));
            }

            return;
        }

        if (field.IsRepeated)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{path}: expected a JSON array, got {Describe(value)}");
            }

            var items = value.EnumerateArray().ToList();
            if (field.IsPacked && ProtoJsonReader.IsPackable(field.FieldType) && items.Count > 0)
            {
                var packed = Nested(o =>
                {
                    for (var i = 0; i < items.Count; i++)
                    {
                        WriteValue(field, items[i], o, $"{path}[{i}]");
                    }
                });
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(packed));
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                WriteSingle(field, items[i], output, $"{path}[{i}]", always: true);
            }

            return;
        }

        // Fields without presence skip their default value, as generated code does; with presence they are written.
        WriteSingle(field, value, output, path, always: field.HasPresence);
    }

    private static void WriteSingle(FieldDescriptor field, JsonElement value, CodedOutputStream output, string path, bool always)
    {
        if (!always && IsDefault(field, value))
        {
            return;
        }

        output.WriteTag(field.FieldNumber, WireTypeOf(field.FieldType));
        WriteValue(field, value, output, path);
    }

    private static void WriteValue(FieldDescriptor field, JsonElement value, CodedOutputStream output, string path)
    {
        switch (field.FieldType)
        {
            case FieldType.Double: output.WriteDouble(Floating(value, path)); break;
            case FieldType.Float: output.WriteFloat((float)Floating(value, path)); break;
            case FieldType.Int64: output.WriteInt64(Integer<long>(value, path)); break;
            case FieldType.UInt64: output.WriteUInt64(Integer<ulong>(value, path)); break;
            case FieldType.Int32: output.WriteInt32(Integer<int>(value, path)); break;
            case FieldType.Fixed64: output.WriteFixed64(Integer<ulong>(value, path)); break;
            case FieldType.Fixed32: output.WriteFixed32(Integer<uint>(value, path)); break;
            case FieldType.Bool: output.WriteBool(Boolean(value, path)); break;
            case FieldType.String: output.WriteString(Text(value, path)); break;
            case FieldType.Bytes: output.WriteBytes(ByteString.CopyFrom(Bytes(value, path))); break;
            case FieldType.UInt32: output.WriteUInt32(Integer<uint>(value, path)); break;
            case FieldType.SFixed32: output.WriteSFixed32(Integer<int>(value, path)); break;
            case FieldType.SFixed64: output.WriteSFixed64(Integer<long>(value, path)); break;
            case FieldType.SInt32: output.WriteSInt32(Integer<int>(value, path)); break;
            case FieldType.SInt64: output.WriteSInt64(Integer<long>(value, path)); break;
            case FieldType.Enum: output.WriteEnum(EnumNumber(field, value, path)); break;
            case FieldType.Message:
                var bytes = Nested(o => WriteMessage(field.MessageType, value, o, path));
                output.WriteBytes(ByteString.CopyFrom(bytes));
                break;
            default:
                throw new FormatException($"{path}: proto2 groups are not supported");
        }
    }

    private static byte[] Nested(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer, leaveOpen: true);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }

    private static bool IsDefault(FieldDescriptor field, JsonElement value) => field.FieldType switch
    {
        FieldType.Message => false,
        FieldType.String => value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0,
        FieldType.Bytes => value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0,
        FieldType.Bool => value.ValueKind == JsonValueKind.False,
        FieldType.Enum => (value.ValueKind == JsonValueKind.Number && value.GetRawText() == "0")
            || (value.ValueKind == JsonValueKind.String && field.EnumType.FindValueByName(value.GetString()!)?.Number == 0),
        _ => (value.ValueKind == JsonValueKind.Number && double.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == 0 && !value.GetRawText().StartsWith('-'))
            || (value.ValueKind == JsonValueKind.String && value.GetString() is "0"),
    };

    private static WireFormat.WireType WireTypeOf(FieldType type) => ProtoJsonReader.ExpectedWireType(type) switch
    {
        1 => WireFormat.WireType.Fixed64,
        5 => WireFormat.WireType.Fixed32,
        2 => WireFormat.WireType.LengthDelimited,
        _ => WireFormat.WireType.Varint,
    };

    private static JsonElement KeyElement(FieldDescriptor keyField, string key) => keyField.FieldType switch
    {
        FieldType.String => JsonSerializer.SerializeToElement(key),
        FieldType.Bool => JsonSerializer.SerializeToElement(key == "true"),
        _ => JsonSerializer.SerializeToElement(key),
    };

    private static T Integer<T>(JsonElement value, string path)
        where T : struct, INumber<T>
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString()!,
            _ => throw new FormatException($"{path}: expected an integer, got {Describe(value)}"),
        };
        if (T.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }

        // 1e3 or 5.0 are integers in JSON's eyes.
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d))
        {
            try
            {
                return T.CreateChecked(d);
            }
            catch (OverflowException)
            {
            }
        }

        throw new FormatException($"{path}: expected an integer in the range of {typeof(T).Name}, got {Describe(value)}");
    }

    private static double Floating(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        return value.ValueKind == JsonValueKind.String && value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (double?)null,
        } is double parsed
            ? parsed
            : throw new FormatException($"{path}: expected a number, got {Describe(value)}");
    }

    private static bool Boolean(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when value.GetString() is "true" => true,
        JsonValueKind.String when value.GetString() is "false" => false,
        _ => throw new FormatException($"{path}: expected true or false, got {Describe(value)}"),
    };

    private static string Text(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"{path}: expected a string, got {Describe(value)}");

    private static byte[] Bytes(JsonElement value, string path)
    {
        var text = Text(value, path);
        try
        {
            return Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight((text.Length + 3) / 4 * 4, '='));
        }
        catch (FormatException)
        {
            throw new FormatException($"{path}: expected base64 bytes, got \"{text}\"");
        }
    }

    private static int EnumNumber(FieldDescriptor field, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && field.EnumType.FindValueByName(value.GetString()!) is { } named)
        {
            return named.Number;
        }

        var names = string.Join(", ", field.EnumType.Values.Select(v => v.Name));
        throw new FormatException($"{path}: expected one of {names} ({field.EnumType.FullName}), got {Describe(value)}");
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "\"" + value.GetString() + "\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };
}
