using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>The proto3 default of a field as a C# expression, shared by the parser (positional arguments) and the emitters.</summary>
    public static class FieldDefaults
    {
        /// <summary>The default a positional constructor receives for a field: proto3 defaults, never null for non-nullable types.</summary>
        public static string DefaultExpression(FieldModel f)
        {
            if (f.Label == FieldLabel.Optional)
            {
                return "null";
            }

            string e = f.Value.ClrType;
            switch (f.Collection)
            {
                case CollectionKind.List:
                    return $"new global::System.Collections.Generic.List<{e}>()";
                case CollectionKind.Array:
                case CollectionKind.ReadOnlyList:
                    return $"global::System.Array.Empty<{e}>()";
                case CollectionKind.ImmutableArray:
                    return $"global::System.Collections.Immutable.ImmutableArray<{e}>.Empty";
                case CollectionKind.Dictionary:
                case CollectionKind.ReadOnlyDictionary:
                    return $"new global::System.Collections.Generic.Dictionary<{f.Key!.ClrType}, {e}>()";
            }

            switch (f.Value.ClrKind)
            {
                case ClrKind.ByteArray:
                    return "global::System.Array.Empty<byte>()";
                case ClrKind.Message:
                    return $"new {e}()";
            }

            return f.Value.ProtoType == ProtoType.String && f.Value.ClrKind == ClrKind.Native ? "\"\"" : "default";
        }
    }
}
