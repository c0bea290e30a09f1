using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>Maps a CLR type to its Protobuf value (scalar, well-known type, enum or message), honouring <c>[Field(Encoding)]</c>.</summary>
    internal static class ValueParser
    {
        internal static ValueModel? Resolve(INamedTypeSymbol owner, ITypeSymbol type, int encoding, List<EnumModel> enums, string member, Action<string, string> fail)
        {
            string clr = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolFacts.PlainTypeFormat);
            switch (type.SpecialType)
            {
                case SpecialType.System_String:
                    return Native(ProtoType.String, clr);
                case SpecialType.System_Boolean:
                    return Native(ProtoType.Bool, clr);
                case SpecialType.System_Int32:
                    return Native(encoding == 1 ? ProtoType.SInt32 : encoding == 2 ? ProtoType.SFixed32 : ProtoType.Int32, clr);
                case SpecialType.System_Int64:
                    return Native(encoding == 1 ? ProtoType.SInt64 : encoding == 2 ? ProtoType.SFixed64 : ProtoType.Int64, clr);
                case SpecialType.System_UInt32:
                    if (encoding == 1)
                    {
                        fail(member, "unsigned integers have no zig-zag encoding; use Default or Fixed");
                        return null;
                    }

                    return Native(encoding == 2 ? ProtoType.Fixed32 : ProtoType.UInt32, clr);
                case SpecialType.System_UInt64:
                    if (encoding == 1)
                    {
                        fail(member, "unsigned integers have no zig-zag encoding; use Default or Fixed");
                        return null;
                    }

                    return Native(encoding == 2 ? ProtoType.Fixed64 : ProtoType.UInt64, clr);
                case SpecialType.System_Single:
                    return Native(ProtoType.Float, clr);
                case SpecialType.System_Double:
                    return Native(ProtoType.Double, clr);
                case SpecialType.System_Decimal:
                    return new ValueModel(ProtoType.String, ClrKind.Decimal, clr, null, "string", null, null, null);
                case SpecialType.System_DateTime:
                    return Timestamp(ClrKind.DateTime, clr);
            }

            if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
            {
                return new ValueModel(ProtoType.Bytes, ClrKind.ByteArray, "byte[]", null, "bytes", null, null, null);
            }

            if (type is INamedTypeSymbol named)
            {
                string def = named.OriginalDefinition.ToDisplayString();
                if (def == "System.ReadOnlyMemory<T>" && named.TypeArguments[0].SpecialType == SpecialType.System_Byte)
                {
                    return new ValueModel(ProtoType.Bytes, ClrKind.ReadOnlyMemory, clr, null, "bytes", null, null, null);
                }

                switch (def)
                {
                    case "System.DateTimeOffset":
                        return Timestamp(ClrKind.DateTimeOffset, clr);
                    case "System.TimeSpan":
                        return new ValueModel(ProtoType.Message, ClrKind.TimeSpan, clr, ".google.protobuf.Duration", "google.protobuf.Duration", "google/protobuf/duration.proto",
                            "global::Google.Protobuf.WellKnownTypes.DurationReflection.Descriptor", "global::KafkaTyped.GeneratedCode.WellKnownProtoFiles.Duration");
                    case "System.Guid":
                        return new ValueModel(ProtoType.Bytes, ClrKind.Guid, clr, null, "bytes", null, null, null);
                }

                if (named.TypeKind == TypeKind.Enum)
                {
                    return EnumParser.Resolve(owner, named, clr, enums, member, fail);
                }

                if (named.TypeKind == TypeKind.Class && named.IsRecord && SymbolFacts.HasAttribute(named, KnownNames.KafkaMessageAttribute))
                {
                    string package = ProtoIdentity.PackageOf(named);
                    string name = ProtoIdentity.MessageProtoName(named);
                    string full = package.Length == 0 ? name : package + "." + name;
                    string text = package == ProtoIdentity.PackageOf(owner) ? name : "." + full;
                    string file = ProtoIdentity.FileOf(named);
                    return new ValueModel(ProtoType.Message, ClrKind.Message, clr, "." + full, text,
                        file, clr + ".Descriptor.File", clr + ".ProtoFile");
                }
            }

            fail(member, $"type '{type.ToDisplayString()}' has no Protobuf mapping (see docs/types.md)");
            return null;
        }

        private static ValueModel Native(ProtoType t, string clr) => new ValueModel(t, ClrKind.Native, clr, null, TextName(t), null, null, null);

        private static ValueModel Timestamp(ClrKind kind, string clr) =>
            new ValueModel(ProtoType.Message, kind, clr, ".google.protobuf.Timestamp", "google.protobuf.Timestamp", "google/protobuf/timestamp.proto",
                "global::Google.Protobuf.WellKnownTypes.TimestampReflection.Descriptor", "global::KafkaTyped.GeneratedCode.WellKnownProtoFiles.Timestamp");

        public static string TextName(ProtoType t) => t switch
        {
            ProtoType.Double => "double",
            ProtoType.Float => "float",
            ProtoType.Int64 => "int64",
            ProtoType.UInt64 => "uint64",
            ProtoType.Int32 => "int32",
            ProtoType.Fixed64 => "fixed64",
            ProtoType.Fixed32 => "fixed32",
            ProtoType.Bool => "bool",
            ProtoType.String => "string",
            ProtoType.Bytes => "bytes",
            ProtoType.UInt32 => "uint32",
            ProtoType.SFixed32 => "sfixed32",
            ProtoType.SFixed64 => "sfixed64",
            ProtoType.SInt32 => "sint32",
            ProtoType.SInt64 => "sint64",
            _ => string.Empty,
        };
    }
}
