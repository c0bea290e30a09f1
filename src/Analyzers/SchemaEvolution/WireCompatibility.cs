namespace KafkaTyped.Analyzers.SchemaEvolution
{
    /// <summary>
    /// The Schema Registry's Protobuf compatibility rules for one field (PROTOCOLS.md, "How Protobuf compatibility is
    /// judged"): a scalar may change only within its group; scalar, message and map kinds never change into each other; a
    /// named message type never changes. KafkaTyped also rejects singular ↔ repeated, which the registry misses for proto3.
    /// </summary>
    internal static class WireCompatibility
    {
        /// <summary>The scalar group of a type, or null when it is a named (message or enum) type.</summary>
        public static string? ScalarGroup(string type)
        {
            switch (type)
            {
                case "int32":
                case "int64":
                case "uint32":
                case "uint64":
                case "bool":
                    return "varint";
                case "sint32":
                case "sint64":
                    return "zigzag";
                case "string":
                case "bytes":
                    return "length-delimited";
                case "fixed32":
                case "sfixed32":
                    return "fixed32";
                case "fixed64":
                case "sfixed64":
                    return "fixed64";
                case "float":
                    return "float";
                case "double":
                    return "double";
                default:
                    return null;
            }
        }

        /// <summary>
        /// Returns why changing <paramref name="before"/> into <paramref name="after"/> breaks readers, or null when compatible.
        /// Types are scalars or named types; <paramref name="isEnum"/> says whether a named type is an enum (enums are varints).
        /// </summary>
        public static string? Incompatibility(string before, FieldLabel beforeLabel, string after, FieldLabel afterLabel, System.Func<string, bool> isEnum)
        {
            if (beforeLabel != afterLabel)
            {
                return "it changed from " + Describe(beforeLabel) + " to " + Describe(afterLabel);
            }

            var beforeGroup = ScalarGroup(before) ?? (isEnum(before) ? "varint" : null);
            var afterGroup = ScalarGroup(after) ?? (isEnum(after) ? "varint" : null);
            if (beforeGroup is not null && afterGroup is not null)
            {
                return beforeGroup == afterGroup ? null : "'" + before + "' and '" + after + "' have different wire types";
            }

            if (beforeGroup is null && afterGroup is null)
            {
                return SimpleName(before) == SimpleName(after) ? null : "the message type changed from '" + before + "' to '" + after + "'";
            }

            return "'" + before + "' and '" + after + "' are different kinds (scalar vs message)";
        }

        public static string SimpleName(string type)
        {
            var dot = type.LastIndexOf('.');
            return dot < 0 ? type : type.Substring(dot + 1);
        }

        private static string Describe(FieldLabel label) => label switch
        {
            FieldLabel.Repeated => "repeated",
            FieldLabel.Map => "a map",
            _ => "a single value",
        };
    }
}
