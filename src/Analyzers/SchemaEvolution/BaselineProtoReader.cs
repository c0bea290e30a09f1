using System.Text.RegularExpressions;
using KafkaTyped.SchemaModel;
using Microsoft.CodeAnalysis.Text;

namespace KafkaTyped.Analyzers.SchemaEvolution
{
    /// <summary>
    /// Reads a committed baseline <c>.proto</c> file with the registry's parser (src/Shared/Schema, the same one the
    /// runtime and the embedded registry use) and reduces it to what the schema-evolution rules compare. Never throws:
    /// a file the parser rejects yields an error message (KT0307).
    /// </summary>
    internal static class BaselineProtoReader
    {
        public static BaselineFile Read(string path, string text, out string? error)
        {
            var file = new BaselineFile(path);
            ProtoFileModel model;
            try
            {
                model = ProtoParser.Parse(text);
            }
            catch (ProtoParseException exception)
            {
                error = exception.Message;
                return file;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The parser is not the analyzers' code; whatever it throws must not become AD0001.
                error = exception.GetType().Name + ": " + exception.Message;
                return file;
            }

            error = null;
            file.Package = model.Package;
            foreach (var message in model.Messages)
            {
                var baseline = new BaselineMessage(file, message.Name, NameSpan(text, message.Name));
                foreach (var field in message.Fields)
                {
                    var isMap = field.Kind == ProtoTypeKind.Map;
                    var label = isMap ? FieldLabel.Map : field.Label == ProtoLabel.Repeated ? FieldLabel.Repeated : FieldLabel.Singular;
                    var type = isMap ? field.MapValueType ?? string.Empty : field.Type;
                    var kind = isMap ? MapValueKind(field, model) : field.Kind;
                    baseline.Fields.Add(new BaselineField(field.Name, field.Number, type, label, field.MapKeyType, kind == ProtoTypeKind.Enum));
                }

                foreach (var range in message.ReservedRanges)
                {
                    baseline.ReservedRanges.Add((range.Start, range.End));
                }

                foreach (var name in message.ReservedNames)
                {
                    baseline.ReservedNames.Add(name);
                }

                file.Messages.Add(baseline);
            }

            return file;
        }

        /// <summary>A map's value kind: the parser resolves the value type's name; enums are the ones the file declares.</summary>
        private static ProtoTypeKind MapValueKind(ProtoFieldModel field, ProtoFileModel model)
        {
            var value = field.MapValueType ?? string.Empty;
            if (ProtoScalars.IsScalar(value))
            {
                return ProtoTypeKind.Scalar;
            }

            foreach (var declared in model.Enums)
            {
                if (declared.FullName == value.TrimStart('.'))
                {
                    return ProtoTypeKind.Enum;
                }
            }

            foreach (var message in model.Messages)
            {
                foreach (var nested in message.Enums)
                {
                    if (nested.FullName == value.TrimStart('.'))
                    {
                        return ProtoTypeKind.Enum;
                    }
                }
            }

            return ProtoTypeKind.Message;
        }

        /// <summary>Where <c>message Name</c> is declared, for diagnostics that point into the baseline file.</summary>
        private static TextSpan NameSpan(string text, string name)
        {
            var match = Regex.Match(text, @"\bmessage\s+(" + Regex.Escape(name) + @")\b");
            return match.Success ? new TextSpan(match.Groups[1].Index, name.Length) : default;
        }
    }
}
