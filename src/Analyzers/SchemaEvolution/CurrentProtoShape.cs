using KafkaTyped.Analyzers.Rules;
using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Analyzers.SchemaEvolution
{
    /// <summary>
    /// The Protobuf type and label the generator gives a C# member (issue 3 type mapping; docs/types.md): decimal as
    /// string, Guid as bytes, DateTime(Offset) as Timestamp, TimeSpan as Duration, [Field(Encoding)] for sint/fixed.
    /// </summary>
    internal static class CurrentProtoShape
    {
        /// <summary>Returns false when the member has no known Protobuf form (unsupported or unresolved type).</summary>
        public static bool TryGet(MessageMember member, KnownSymbols known, out string type, out FieldLabel label, out bool isEnum)
        {
            type = string.Empty;
            label = FieldLabel.Singular;
            isEnum = false;
            var info = FieldTypeRules.Classify(member.Type, known);
            if (!info.IsSupported || info.Shape == FieldShape.Unknown || info.Element is null)
            {
                return false;
            }

            label = info.Shape switch
            {
                FieldShape.Repeated => FieldLabel.Repeated,
                FieldShape.Map => FieldLabel.Map,
                _ => FieldLabel.Singular,
            };
            var encoding = member.Field is null ? 0 : TypeDeclarations.NamedArgument<int>(member.Field, "Encoding") ?? 0;
            var element = info.Element;
            isEnum = element.TypeKind == TypeKind.Enum;
            type = ProtoType(element, known, encoding);
            return type.Length > 0;
        }

        private static string ProtoType(ITypeSymbol type, KnownSymbols known, int encoding)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_String:
                case SpecialType.System_Decimal:
                    return "string";
                case SpecialType.System_Boolean:
                    return "bool";
                case SpecialType.System_Int32:
                    return encoding == 1 ? "sint32" : encoding == 2 ? "sfixed32" : "int32";
                case SpecialType.System_Int64:
                    return encoding == 1 ? "sint64" : encoding == 2 ? "sfixed64" : "int64";
                case SpecialType.System_UInt32:
                    return encoding == 2 ? "fixed32" : "uint32";
                case SpecialType.System_UInt64:
                    return encoding == 2 ? "fixed64" : "uint64";
                case SpecialType.System_Single:
                    return "float";
                case SpecialType.System_Double:
                    return "double";
                case SpecialType.System_DateTime:
                    return "google.protobuf.Timestamp";
            }

            if (type is IArrayTypeSymbol)
            {
                return "bytes";
            }

            if (type is INamedTypeSymbol named)
            {
                if (named.TypeKind == TypeKind.Enum)
                {
                    return named.Name;
                }

                var name = named.ToDisplayString();
                switch (name)
                {
                    case "System.Guid":
                        return "bytes";
                    case "System.DateTimeOffset":
                        return "google.protobuf.Timestamp";
                    case "System.TimeSpan":
                        return "google.protobuf.Duration";
                    case "System.ReadOnlyMemory<byte>":
                        return "bytes";
                }

                if (known.IsMessage(named))
                {
                    return MessageModelParser.MessageProtoName(named);
                }
            }

            return string.Empty;
        }
    }
}
