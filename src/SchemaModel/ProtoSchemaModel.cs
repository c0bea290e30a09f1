// Linked into KafkaTyped (runtime), KafkaTyped.Generators and KafkaTyped.Analyzers: netstandard2.0-compatible, no
// dependencies. A small model of a .proto file, just rich enough for canonical text and compatibility checks.

namespace KafkaTyped.SchemaModel
{
    /// <summary>A parsed <c>.proto</c> file.</summary>
    internal sealed class ProtoFileModel
    {
        public string Syntax { get; set; } = "proto2";

        public string Package { get; set; } = string.Empty;

        public List<string> Imports { get; } = new List<string>();

        public List<string> Options { get; } = new List<string>();

        public List<ProtoMessageModel> Messages { get; } = new List<ProtoMessageModel>();

        public List<ProtoEnumModel> Enums { get; } = new List<ProtoEnumModel>();

        public bool IsProto3 => Syntax == "proto3";
    }

    /// <summary>A message type.</summary>
    internal sealed class ProtoMessageModel
    {
        public ProtoMessageModel(string name, string fullName)
        {
            Name = name;
            FullName = fullName;
        }

        public string Name { get; }

        /// <summary>Package-qualified name without a leading dot, for example <c>shop.Envelope.Header</c>.</summary>
        public string FullName { get; }

        public List<ProtoFieldModel> Fields { get; } = new List<ProtoFieldModel>();

        public List<ProtoMessageModel> Messages { get; } = new List<ProtoMessageModel>();

        public List<ProtoEnumModel> Enums { get; } = new List<ProtoEnumModel>();

        /// <summary>Oneof names in declaration order (proto3 <c>optional</c> synthetic oneofs excluded).</summary>
        public List<string> Oneofs { get; } = new List<string>();

        /// <summary>Reserved number ranges, inclusive.</summary>
        public List<ProtoRange> ReservedRanges { get; } = new List<ProtoRange>();

        public List<string> ReservedNames { get; } = new List<string>();

        public List<string> Options { get; } = new List<string>();

        public bool IsReserved(int number)
        {
            foreach (var range in ReservedRanges)
            {
                if (number >= range.Start && number <= range.End)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>An inclusive range of field numbers.</summary>
    internal readonly struct ProtoRange
    {
        public ProtoRange(int start, int end)
        {
            Start = start;
            End = end;
        }

        public int Start { get; }

        public int End { get; }
    }

    /// <summary>A field's label as written (<see cref="None"/> for a proto3 singular field).</summary>
    internal enum ProtoLabel
    {
        None,
        Optional,
        Required,
        Repeated,
    }

    /// <summary>What a field's type is.</summary>
    internal enum ProtoTypeKind
    {
        Scalar,
        Message,
        Enum,
        Map,
    }

    /// <summary>A field.</summary>
    internal sealed class ProtoFieldModel
    {
        public ProtoFieldModel(string name, int number, ProtoLabel label, string type)
        {
            Name = name;
            Number = number;
            Label = label;
            Type = type;
        }

        public string Name { get; set; }

        public int Number { get; }

        public ProtoLabel Label { get; set; }

        /// <summary>The scalar name (<c>int32</c>), or the referenced type's full name once resolved (as written before).</summary>
        public string Type { get; set; }

        public ProtoTypeKind Kind { get; set; } = ProtoTypeKind.Scalar;

        /// <summary>Map key scalar type, when <see cref="Kind"/> is <see cref="ProtoTypeKind.Map"/>.</summary>
        public string? MapKeyType { get; set; }

        /// <summary>Map value type (resolved like <see cref="Type"/>), when a map.</summary>
        public string? MapValueType { get; set; }

        /// <summary>The oneof the field belongs to, if any.</summary>
        public string? Oneof { get; set; }

        public List<string> Options { get; } = new List<string>();
    }

    /// <summary>An enum type.</summary>
    internal sealed class ProtoEnumModel
    {
        public ProtoEnumModel(string name, string fullName)
        {
            Name = name;
            FullName = fullName;
        }

        public string Name { get; }

        public string FullName { get; }

        public List<KeyValuePair<string, int>> Values { get; } = new List<KeyValuePair<string, int>>();

        public List<string> Options { get; } = new List<string>();
    }

    /// <summary>Scalar type names and their wire-compatibility groups.</summary>
    internal static class ProtoScalars
    {
        public static bool IsScalar(string type)
        {
            switch (type)
            {
                case "double":
                case "float":
                case "int32":
                case "int64":
                case "uint32":
                case "uint64":
                case "sint32":
                case "sint64":
                case "fixed32":
                case "fixed64":
                case "sfixed32":
                case "sfixed64":
                case "bool":
                case "string":
                case "bytes":
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// The compatibility group (Confluent's protobuf diff): a change within a group keeps the wire readable, a
        /// change across groups does not. Enums share the varint group.
        /// </summary>
        public static int Group(string type, ProtoTypeKind kind)
        {
            if (kind == ProtoTypeKind.Enum)
            {
                return 1;
            }

            switch (type)
            {
                case "int32":
                case "int64":
                case "uint32":
                case "uint64":
                case "bool":
                    return 1;
                case "sint32":
                case "sint64":
                    return 2;
                case "string":
                case "bytes":
                    return 3;
                case "fixed32":
                case "sfixed32":
                    return 4;
                case "fixed64":
                case "sfixed64":
                    return 5;
                case "float":
                    return 6;
                case "double":
                    return 7;
                default:
                    return 0;
            }
        }
    }
}
