using System.Globalization;
using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>C# expressions and statements that read, write and size one value with Google.Protobuf's primitives.</summary>
    internal static class WireCode
    {
        public const string Codec = "global::KafkaTyped.GeneratedCode.ProtoCodec";
        public const string Cos = "global::Google.Protobuf.CodedOutputStream";

        public static int WireType(ValueModel v)
        {
            switch (v.ProtoType)
            {
                case ProtoType.Fixed64:
                case ProtoType.SFixed64:
                case ProtoType.Double:
                    return 1;
                case ProtoType.Fixed32:
                case ProtoType.SFixed32:
                case ProtoType.Float:
                    return 5;
                case ProtoType.String:
                case ProtoType.Bytes:
                case ProtoType.Message:
                    return 2;
                default:
                    return 0;
            }
        }

        public static bool IsPackable(ValueModel v) => WireType(v) != 2;

        public static uint Tag(int number, int wireType) => ((uint)number << 3) | (uint)wireType;

        public static List<byte> TagBytes(uint tag)
        {
            var bytes = new List<byte>(5);
            while (tag >= 0x80)
            {
                bytes.Add((byte)(tag | 0x80));
                tag >>= 7;
            }

            bytes.Add((byte)tag);
            return bytes;
        }

        /// <summary><c>output.WriteRawTag(…)</c> for a precomputed tag.</summary>
        public static string WriteTag(uint tag) =>
            "output.WriteRawTag(" + string.Join(", ", TagBytes(tag).ConvertAll(b => b.ToString(CultureInfo.InvariantCulture))) + ");";

        public static int TagSize(uint tag) => TagBytes(tag).Count;

        /// <summary>Writes a value (no tag).</summary>
        public static string Write(ValueModel v, string e)
        {
            switch (v.ClrKind)
            {
                case ClrKind.ByteArray:
                case ClrKind.ReadOnlyMemory:
                    return $"{Codec}.WriteBytes(ref output, {e});";
                case ClrKind.Guid:
                    return $"{Codec}.WriteGuid(ref output, {e});";
                case ClrKind.Decimal:
                    return $"output.WriteString({Codec}.FormatDecimal({e}));";
                case ClrKind.DateTimeOffset:
                case ClrKind.DateTime:
                    return $"{Codec}.WriteTimestamp(ref output, {e});";
                case ClrKind.TimeSpan:
                    return $"{Codec}.WriteDuration(ref output, {e});";
                case ClrKind.Message:
                    return $"output.WriteMessage({e});";
            }

            return v.ProtoType == ProtoType.Enum ? $"output.WriteEnum((int){e});" : $"output.Write{Method(v.ProtoType)}({e});";
        }

        /// <summary>The size of a value (no tag), length prefix included for length-delimited values.</summary>
        public static string Size(ValueModel v, string e)
        {
            switch (v.ClrKind)
            {
                case ClrKind.ByteArray:
                case ClrKind.ReadOnlyMemory:
                    return $"{Codec}.BytesSize({e})";
                case ClrKind.Guid:
                    return "17";
                case ClrKind.Decimal:
                    return $"{Cos}.ComputeStringSize({Codec}.FormatDecimal({e}))";
                case ClrKind.DateTimeOffset:
                case ClrKind.DateTime:
                    return $"{Codec}.TimestampSize({e})";
                case ClrKind.TimeSpan:
                    return $"{Codec}.DurationSize({e})";
                case ClrKind.Message:
                    return $"{Cos}.ComputeMessageSize({e})";
            }

            switch (v.ProtoType)
            {
                case ProtoType.Bool:
                    return "1";
                case ProtoType.Fixed32:
                case ProtoType.SFixed32:
                case ProtoType.Float:
                    return "4";
                case ProtoType.Fixed64:
                case ProtoType.SFixed64:
                case ProtoType.Double:
                    return "8";
                case ProtoType.Enum:
                    return $"{Cos}.ComputeEnumSize((int){e})";
                default:
                    return $"{Cos}.Compute{Method(v.ProtoType)}Size({e})";
            }
        }

        /// <summary>The constant size of a fixed-width value, or -1.</summary>
        public static int FixedSize(ValueModel v)
        {
            if (v.ClrKind != ClrKind.Native)
            {
                return v.ClrKind == ClrKind.Guid ? 17 : -1;
            }

            switch (WireType(v))
            {
                case 1:
                    return 8;
                case 5:
                    return 4;
            }

            return v.ProtoType == ProtoType.Bool ? 1 : -1;
        }

        /// <summary>Reads a value from <c>input</c>.</summary>
        public static string Read(ValueModel v)
        {
            switch (v.ClrKind)
            {
                case ClrKind.ByteArray:
                    return $"{Codec}.ReadByteArray(ref input)";
                case ClrKind.ReadOnlyMemory:
                    return "input.ReadBytes().Memory";
                case ClrKind.Guid:
                    return $"{Codec}.ReadGuid(ref input)";
                case ClrKind.Decimal:
                    return $"{Codec}.ParseDecimal(input.ReadString())";
                case ClrKind.DateTimeOffset:
                    return $"{Codec}.ReadDateTimeOffset(ref input)";
                case ClrKind.DateTime:
                    return $"{Codec}.ReadDateTime(ref input)";
                case ClrKind.TimeSpan:
                    return $"{Codec}.ReadTimeSpan(ref input)";
                case ClrKind.Message:
                    return $"{Codec}.ReadMessage<{v.ClrType}>(ref input, {v.ClrType}.CreateParseTarget())";
            }

            return v.ProtoType == ProtoType.Enum ? $"({v.ClrType})input.ReadEnum()" : $"input.Read{Method(v.ProtoType)}()";
        }

        /// <summary>A condition that is true when a singular implicit-presence value must be written (proto3: non-default).</summary>
        public static string NonDefault(ValueModel v, string e)
        {
            switch (v.ClrKind)
            {
                case ClrKind.ByteArray:
                    return $"{e} is {{ Length: > 0 }}";
                case ClrKind.ReadOnlyMemory:
                    return $"!{e}.IsEmpty";
                case ClrKind.Guid:
                    return $"{e} != global::System.Guid.Empty";
                case ClrKind.Decimal:
                    return $"!{Codec}.IsDefault({e})";
                case ClrKind.DateTimeOffset:
                case ClrKind.DateTime:
                case ClrKind.TimeSpan:
                    return "true";
                case ClrKind.Message:
                    return $"{e} is not null";
            }

            switch (v.ProtoType)
            {
                case ProtoType.String:
                    return $"!string.IsNullOrEmpty({e})";
                case ProtoType.Bool:
                    return e;
                case ProtoType.Enum:
                    return $"{e} != 0";
                case ProtoType.Float:
                    return $"{e} != 0F";
                case ProtoType.Double:
                    return $"{e} != 0D";
                default:
                    return $"{e} != 0";
            }
        }

        /// <summary>The value a freshly reset map entry holds for a missing key or value.</summary>
        public static string EntryDefault(ValueModel v)
        {
            switch (v.ClrKind)
            {
                case ClrKind.ByteArray:
                    return "global::System.Array.Empty<byte>()";
                case ClrKind.Message:
                    return "null!";
            }

            return v.ProtoType == ProtoType.String && v.ClrKind == ClrKind.Native ? "\"\"" : "default";
        }

        /// <summary>A <c>FieldCodec</c> for packed repeated reads through <c>RepeatedField.AddEntriesFrom</c>.</summary>
        public static string PackedCodec(ValueModel v, uint tag)
        {
            string t = tag.ToString(CultureInfo.InvariantCulture);
            return v.ProtoType == ProtoType.Enum
                ? $"global::Google.Protobuf.FieldCodec.ForEnum({t}, static x => (int)x, static x => ({v.ClrType})x)"
                : $"global::Google.Protobuf.FieldCodec.For{Method(v.ProtoType)}({t})";
        }

        public static string Method(ProtoType t)
        {
            switch (t)
            {
                case ProtoType.Double: return "Double";
                case ProtoType.Float: return "Float";
                case ProtoType.Int64: return "Int64";
                case ProtoType.UInt64: return "UInt64";
                case ProtoType.Int32: return "Int32";
                case ProtoType.Fixed64: return "Fixed64";
                case ProtoType.Fixed32: return "Fixed32";
                case ProtoType.Bool: return "Bool";
                case ProtoType.String: return "String";
                case ProtoType.UInt32: return "UInt32";
                case ProtoType.SFixed32: return "SFixed32";
                case ProtoType.SFixed64: return "SFixed64";
                case ProtoType.SInt32: return "SInt32";
                case ProtoType.SInt64: return "SInt64";
                default: return "Unknown";
            }
        }
    }
}
