using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Analyzers.SchemaEvolution
{
    /// <summary>
    /// The Protobuf type and label the generator gives each numbered member, read from the generator's own model
    /// (src/Shared/Model), so KT0301 compares the baseline with exactly what the generator would now export.
    /// </summary>
    internal static class CurrentProtoShape
    {
        /// <summary>The fields by C# property name; empty when the generator rejects the message (other rules say why).</summary>
        public static Dictionary<string, FieldModel> Fields(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var fields = new Dictionary<string, FieldModel>(System.StringComparer.Ordinal);
            MessageModel? model;
            try
            {
                model = MessageModelParser.Parse(type, cancellationToken);
            }
            catch (System.Exception exception) when (exception is not System.OperationCanceledException)
            {
                // KT0019 reports the parser's failure; the field comparison just has nothing to compare.
                model = null;
            }

            if (model is not null)
            {
                foreach (var field in model.Fields)
                {
                    fields[field.PropertyName] = field;
                }
            }

            return fields;
        }

        /// <summary>The type as the .proto text names it (the map value for maps), its label and whether it is an enum.</summary>
        public static (string Type, FieldLabel Label, bool IsEnum) Of(FieldModel field)
        {
            var label = field.Label switch
            {
                KafkaTyped.Roslyn.Model.FieldLabel.Repeated => FieldLabel.Repeated,
                KafkaTyped.Roslyn.Model.FieldLabel.Map => FieldLabel.Map,
                _ => FieldLabel.Singular,
            };
            return (field.Value.TextTypeName, label, field.Value.ProtoType == ProtoType.Enum);
        }
    }
}
