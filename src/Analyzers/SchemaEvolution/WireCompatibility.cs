using KafkaTyped.SchemaModel;

namespace KafkaTyped.Analyzers.SchemaEvolution
{
    /// <summary>
    /// Field compatibility for KT0301, judged by the registry's own rules (<see cref="ProtoCompatibility"/> in
    /// src/Shared/Schema, strict mode): a scalar may change only within its wire group; scalar, message and map kinds
    /// never change into each other; a named message or enum type never changes; singular ↔ repeated is rejected.
    /// </summary>
    internal static class WireCompatibility
    {
        private const string Probe = "M";

        /// <summary>
        /// Returns why changing <paramref name="before"/> into <paramref name="after"/> breaks readers, or null when compatible.
        /// Types are scalars or named types (compared by simple name, as a package rename moves every local type); an
        /// enum is a varint. For maps the types are the value types.
        /// </summary>
        public static string? Incompatibility(string before, bool beforeIsEnum, FieldLabel beforeLabel, string after, bool afterIsEnum, FieldLabel afterLabel)
        {
            if (beforeLabel == FieldLabel.Map && afterLabel == FieldLabel.Map)
            {
                // On the wire a map is a repeated entry message whose value is field 2, so its value changes follow the
                // field rules (int32 → int64 stays readable), as Confluent judges the synthetic MapEntry message.
                return Incompatibility(before, beforeIsEnum, FieldLabel.Singular, after, afterIsEnum, FieldLabel.Singular);
            }

            var original = OneFieldFile(before, beforeIsEnum, beforeLabel);
            var update = OneFieldFile(after, afterIsEnum, afterLabel);
            foreach (var difference in ProtoCompatibility.Incompatibilities(original, update, strict: true))
            {
                return difference.Description;
            }

            return null;
        }

        public static string SimpleName(string type)
        {
            var dot = type.LastIndexOf('.');
            return dot < 0 ? type : type.Substring(dot + 1);
        }

        /// <summary>A file holding one message with the field as number 1; both sides use the same name, so only the field differs.</summary>
        private static ProtoFileModel OneFieldFile(string type, bool isEnum, FieldLabel label)
        {
            var kind = isEnum ? ProtoTypeKind.Enum : ProtoScalars.IsScalar(type) ? ProtoTypeKind.Scalar : ProtoTypeKind.Message;
            var name = kind == ProtoTypeKind.Scalar ? type : SimpleName(type);
            ProtoFieldModel field;
            if (label == FieldLabel.Map)
            {
                // Only reached for map ↔ non-map, which differ by kind whatever the key.
                field = new ProtoFieldModel("f", 1, ProtoLabel.None, "map") { Kind = ProtoTypeKind.Map, MapKeyType = "string", MapValueType = name };
            }
            else
            {
                field = new ProtoFieldModel("f", 1, label == FieldLabel.Repeated ? ProtoLabel.Repeated : ProtoLabel.None, name) { Kind = kind };
            }

            var message = new ProtoMessageModel(Probe, Probe);
            message.Fields.Add(field);
            var file = new ProtoFileModel();
            file.Messages.Add(message);
            return file;
        }
    }
}
