using KafkaTyped.Roslyn.Model;
using static KafkaTyped.Generators.Emit.Messages.FieldAccess;

namespace KafkaTyped.Generators.Emit.Messages
{
    /// <summary>Emits value equality and the hash code over the Protobuf fields.</summary>
    internal static class EqualityEmitter
    {
        internal static void Equality(SourceWriter w, MessageModel m)
        {
            w.Line("/// <summary>Value equality over the Protobuf fields: collections by content; unknown fields are ignored.</summary>");
            w.Open($"public {(m.IsSealed ? string.Empty : "virtual ")}bool Equals({m.FullTypeName}? other)");
            w.Line("if (ReferenceEquals(this, other)) { return true; }");
            w.Line("if (other is null) { return false; }");
            if (!m.IsSealed)
            {
                w.Line("if (EqualityContract != other.EqualityContract) { return false; }");
            }

            foreach (FieldModel f in m.Fields)
            {
                w.Line($"if (!({FieldEquals(f, "this." + f.PropertyName, "other." + f.PropertyName)})) {{ return false; }}");
            }

            w.Line("return true;");
            w.Close();
            w.Line();
            w.Line("/// <inheritdoc />");
            w.Open("public override int GetHashCode()");
            w.Line("var hash = new global::System.HashCode();");
            foreach (FieldModel f in m.Fields)
            {
                string me = "this." + f.PropertyName;
                switch (f.Label)
                {
                    case FieldLabel.Repeated when f.Collection == CollectionKind.ImmutableArray:
                        w.Line($"hash.Add({me}.IsDefault ? 0 : {me}.Length);");
                        break;
                    case FieldLabel.Repeated:
                    case FieldLabel.Map:
                        w.Line($"hash.Add({me} is null ? 0 : {CountOf(f, me)});");
                        break;
                    default:
                        if (f.Value.ClrKind == ClrKind.ByteArray || f.Value.ClrKind == ClrKind.ReadOnlyMemory)
                        {
                            w.Line(f.Value.ClrKind == ClrKind.ByteArray ? $"hash.Add({me}?.Length ?? 0);"
                                : f.IsNullableValueType ? $"hash.Add({me}.GetValueOrDefault().Length);" : $"hash.Add({me}.Length);");
                        }
                        else
                        {
                            w.Line($"hash.Add({me});");
                        }

                        break;
                }
            }

            w.Line("return hash.ToHashCode();");
            w.Close();
            w.Line();
        }

        private static string FieldEquals(FieldModel f, string a, string b)
        {
            string e = f.Value.ClrType;
            switch (f.Label)
            {
                case FieldLabel.Repeated:
                    return $"{WireCode.Codec}.ListEqual<{e}>({a}, {b})";
                case FieldLabel.Map:
                    return $"{WireCode.Codec}.MapEqual<{f.Key!.ClrType}, {e}>({a}, {b})";
            }

            switch (f.Value.ClrKind)
            {
                case ClrKind.ByteArray:
                    return f.Label == FieldLabel.Optional
                        ? $"ReferenceEquals({a}, {b}) || ({a} is not null && {b} is not null && {WireCode.Codec}.BytesEqual({a}, {b}))"
                        : $"{WireCode.Codec}.BytesEqual({a}, {b})";
                case ClrKind.ReadOnlyMemory:
                    return f.IsNullableValueType
                        ? $"{a}.HasValue == {b}.HasValue && {WireCode.Codec}.BytesEqual({a}.GetValueOrDefault(), {b}.GetValueOrDefault())"
                        : $"{WireCode.Codec}.BytesEqual({a}, {b})";
                case ClrKind.Message:
                    return $"global::System.Collections.Generic.EqualityComparer<{e}?>.Default.Equals({a}, {b})";
            }

            return $"global::System.Collections.Generic.EqualityComparer<{f.PropertyType}>.Default.Equals({a}, {b})";
        }
    }
}
