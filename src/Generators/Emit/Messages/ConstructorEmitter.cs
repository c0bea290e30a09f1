using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using static KafkaTyped.Generators.Emit.Messages.FieldAccess;

namespace KafkaTyped.Generators.Emit.Messages
{
    /// <summary>Emits a message's constructors (public defaults, the parser's target) and the accessors of backing fields it assigns.</summary>
    internal static class ConstructorEmitter
    {
        internal static void Constructor(SourceWriter w, MessageModel m)
        {
            if (!m.EmitParameterlessConstructor)
            {
                return;
            }

            w.Line("/// <summary>Creates a message with Protobuf defaults: empty strings and collections, never null.</summary>");
            w.Line("[global::System.Diagnostics.CodeAnalysis.SetsRequiredMembers]");
            string chain = m.IsPositional ? " : this(" + string.Join(", ", m.PrimaryConstructorArguments) + ")" : string.Empty;
            w.Open($"public {m.TypeName}(){chain}");
            if (!m.IsPositional)
            {
                DefaultAssignments(w, m);
            }

            w.Close();
            w.Line();
        }

        private static void DefaultAssignments(SourceWriter w, MessageModel m)
        {
            // Inside a constructor init-only and get-only properties are assignable, and the compiler sees it.
            foreach (FieldModel f in m.Fields)
            {
                string d = FieldDefaults.DefaultExpression(f);
                if (f.Collection == CollectionKind.ImmutableArray)
                {
                    w.Line($"if (this.{f.PropertyName}.IsDefault) {{ this.{f.PropertyName} = {d}; }}");
                }
                else if (d != "null" && d != "default")
                {
                    w.Line($"this.{f.PropertyName} ??= {d};");
                }
            }
        }

        /// <summary>
        /// The parser's constructor leaves collections and sub-messages null, so parsing never allocates defaults it then
        /// replaces; <c>InternalMergeFrom</c> fills whatever the input did not set.
        /// </summary>
        internal static void ParsingConstructor(SourceWriter w, MessageModel m)
        {
            w.Line("private readonly struct __ForParsing { }");
            w.Line();
            w.Line("/// <summary>An instance for the parser to fill: collections and sub-messages start null, parsing fills what the input leaves out.</summary>");
            w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
            w.Line($"public static {m.FullTypeName} CreateParseTarget() => new {m.FullTypeName}(default(__ForParsing));");
            w.Line();
            w.Line("[global::System.Diagnostics.CodeAnalysis.SetsRequiredMembers]");
            string chain = string.Empty;
            if (m.IsPositional)
            {
                var args = new List<string>();
                for (int i = 0; i < m.PrimaryConstructorArguments.Count; i++)
                {
                    string a = m.PrimaryConstructorArguments[i];
                    args.Add(a.StartsWith("new ", System.StringComparison.Ordinal) || a.StartsWith("global::", System.StringComparison.Ordinal)
                        ? $"default({m.PrimaryConstructorTypes[i]})!"
                        : a);
                }

                chain = " : this(" + string.Join(", ", args) + ")";
            }

            w.Open($"private {m.TypeName}(__ForParsing _){chain}");
            if (!m.IsPositional)
            {
                // Property initializers have run already; only fill what is still null (the compiler sees these assignments).
                DefaultAssignments(w, m);
            }

            w.Close();
            w.Line();
        }

        internal static void Accessors(SourceWriter w, MessageModel m)
        {
            foreach (FieldModel f in m.Fields)
            {
                if (f.Access != AccessKind.BackingField)
                {
                    continue;
                }

                w.Line($"[global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = \"{f.BackingFieldName}\")]");
                w.Line($"private static extern ref {f.PropertyType} __Ref_{f.PropertyName}({m.FullTypeName} message);");
            }

            w.Line();
        }
    }
}
