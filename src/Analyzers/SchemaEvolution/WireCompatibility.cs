using KafkaTyped.SchemaModel;

namespace KafkaTyped.Analyzers.SchemaEvolution
{
    /// <summary>
    /// The Schema Registry's Protobuf compatibility rules for one field (PROTOCOLS.md, "How Protobuf compatibility is
    /// judged"): a scalar may change only within its group; scalar, message and map kinds never change into each other; a
    /// named message type never changes. KafkaTyped also rejects singular ↔ repeated, which the registry misses for proto3.
    /// </summary>
    internal static class WireCompatibility
    {
        /// <summary>
        /// The wire group of a type, from the registry's table (<see cref="ProtoScalars.Group"/>): enums are varints;
        /// 0 for a message.
        /// </summary>
        public static int Group(string type, bool isEnum) =>
            ProtoScalars.Group(type, isEnum ? ProtoTypeKind.Enum : ProtoScalars.IsScalar(type) ? ProtoTypeKind.Scalar : ProtoTypeKind.Message);

        /// <summary>
        /// Returns why changing <paramref name="before"/> into <paramref name="after"/> breaks readers, or null when compatible.
        /// Types are scalars or named types; an enum is a varint.
        /// </summary>
        public static string? Incompatibility(string before, bool beforeIsEnum, FieldLabel beforeLabel, string after, bool afterIsEnum, FieldLabel afterLabel)
        {
            if (beforeLabel != afterLabel)
            {
                return "it changed from " + Describe(beforeLabel) + " to " + Describe(afterLabel);
            }

            if (beforeIsEnum && afterIsEnum && SimpleName(before) != SimpleName(after))
            {
                // As the registry: an enum field may not switch to another enum type (FIELD_NAMED_TYPE_CHANGED).
                return "the enum type changed from '" + before + "' to '" + after + "'";
            }

            var beforeGroup = Group(before, beforeIsEnum);
            var afterGroup = Group(after, afterIsEnum);
            if (beforeGroup != 0 && afterGroup != 0)
            {
                return beforeGroup == afterGroup ? null : "'" + before + "' and '" + after + "' have different wire types";
            }

            if (beforeGroup == 0 && afterGroup == 0)
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
