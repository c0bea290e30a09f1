using System.Globalization;
using System.Text;

namespace KafkaTyped.SchemaModel
{
    /// <summary>
    /// Prints a <see cref="ProtoFileModel"/> as canonical <c>.proto</c> text: comments dropped, one declaration per
    /// line, two-space indentation, type references as full names, options left out (so the text and descriptor forms
    /// of one file, which differ in options such as json_name, print alike). Equal models print equal text, so the
    /// text keys "same schema" decisions (the registry's id reuse).
    /// </summary>
    internal static class ProtoPrinter
    {
        public static string Print(ProtoFileModel file)
        {
            var builder = new StringBuilder();
            builder.Append("syntax = \"").Append(file.Syntax).Append("\";\n");
            if (file.Package.Length > 0)
            {
                builder.Append("package ").Append(file.Package).Append(";\n");
            }

            if (file.Imports.Count > 0)
            {
                builder.Append('\n');
                foreach (var import in file.Imports)
                {
                    builder.Append("import \"").Append(import).Append("\";\n");
                }
            }

            foreach (var message in file.Messages)
            {
                builder.Append('\n');
                PrintMessage(builder, message, string.Empty, file.IsProto3);
            }

            foreach (var e in file.Enums)
            {
                builder.Append('\n');
                PrintEnum(builder, e, string.Empty);
            }

            return builder.ToString();
        }

        private static void PrintMessage(StringBuilder builder, ProtoMessageModel message, string indent, bool proto3)
        {
            builder.Append(indent).Append("message ").Append(message.Name).Append(" {\n");
            var inner = indent + "  ";
            var printedOneofs = new HashSet<string>();
            foreach (var field in message.Fields)
            {
                if (field.Oneof == null)
                {
                    PrintField(builder, field, inner);
                    continue;
                }

                if (!printedOneofs.Add(field.Oneof))
                {
                    continue;
                }

                builder.Append(inner).Append("oneof ").Append(field.Oneof).Append(" {\n");
                foreach (var member in message.Fields)
                {
                    if (member.Oneof == field.Oneof)
                    {
                        PrintField(builder, member, inner + "  ");
                    }
                }

                builder.Append(inner).Append("}\n");
            }

            if (message.ReservedRanges.Count > 0)
            {
                builder.Append(inner).Append("reserved ");
                for (var i = 0; i < message.ReservedRanges.Count; i++)
                {
                    var range = message.ReservedRanges[i];
                    builder.Append(i == 0 ? string.Empty : ", ").Append(range.Start.ToString(CultureInfo.InvariantCulture));
                    if (range.End != range.Start)
                    {
                        builder.Append(" to ").Append(range.End == 536870911 ? "max" : range.End.ToString(CultureInfo.InvariantCulture));
                    }
                }

                builder.Append(";\n");
            }

            if (message.ReservedNames.Count > 0)
            {
                builder.Append(inner).Append("reserved ");
                for (var i = 0; i < message.ReservedNames.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ").Append('"').Append(message.ReservedNames[i]).Append('"');
                }

                builder.Append(";\n");
            }

            foreach (var nested in message.Messages)
            {
                PrintMessage(builder, nested, inner, proto3);
            }

            foreach (var e in message.Enums)
            {
                PrintEnum(builder, e, inner);
            }

            builder.Append(indent).Append("}\n");
        }

        private static void PrintField(StringBuilder builder, ProtoFieldModel field, string indent)
        {
            builder.Append(indent);
            switch (field.Label)
            {
                case ProtoLabel.Optional:
                    builder.Append("optional ");
                    break;
                case ProtoLabel.Required:
                    builder.Append("required ");
                    break;
                case ProtoLabel.Repeated:
                    builder.Append("repeated ");
                    break;
            }

            if (field.Kind == ProtoTypeKind.Map)
            {
                builder.Append("map<").Append(field.MapKeyType).Append(", ").Append(field.MapValueType).Append('>');
            }
            else
            {
                builder.Append(field.Type);
            }

            builder.Append(' ').Append(field.Name).Append(" = ").Append(field.Number.ToString(CultureInfo.InvariantCulture));
            builder.Append(";\n");
        }

        private static void PrintEnum(StringBuilder builder, ProtoEnumModel e, string indent)
        {
            builder.Append(indent).Append("enum ").Append(e.Name).Append(" {\n");
            foreach (var value in e.Values)
            {
                builder.Append(indent).Append("  ").Append(value.Key).Append(" = ").Append(value.Value.ToString(CultureInfo.InvariantCulture)).Append(";\n");
            }

            builder.Append(indent).Append("}\n");
        }
    }
}
