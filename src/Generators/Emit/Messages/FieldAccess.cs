using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Emit.Messages
{
    /// <summary>Expressions the message emitters share: how generated code assigns, counts, clones and appends a field.</summary>
    internal static class FieldAccess
    {
        internal static string Assign(FieldModel f, string target, string value) =>
            f.Access == AccessKind.Setter ? $"{target}.{f.PropertyName} = {value};" : $"__Ref_{f.PropertyName}({target}) = {value};";

        internal static IEnumerable<FieldModel> ByNumber(MessageModel m) => m.Fields.OrderBy(f => f.Number);

        internal static string CountOf(FieldModel f, string e) => f.Collection == CollectionKind.Array || f.Collection == CollectionKind.ImmutableArray ? e + ".Length" : e + ".Count";

        internal static string HasItems(FieldModel f, string e) => f.Collection == CollectionKind.ImmutableArray ? $"!{e}.IsDefaultOrEmpty" : $"{e} is not null && {CountOf(f, e)} > 0";

        internal static string Deep(string type) => $"global::Google.Protobuf.IDeepCloneable<{type}>";

        internal static string Append(FieldModel f, string existing, string added)
        {
            string e = f.Value.ClrType;
            switch (f.Collection)
            {
                case CollectionKind.Array:
                    return $"{WireCode.Codec}.AppendArray<{e}>({existing}, {added})";
                case CollectionKind.ImmutableArray:
                    return $"{WireCode.Codec}.AppendImmutable<{e}>({existing}, {added})";
                default:
                    return $"{WireCode.Codec}.AppendList<{e}>({existing}, {added})";
            }
        }

        internal static bool IsSecondsNanos(ValueModel v) => v.ClrKind == ClrKind.DateTimeOffset || v.ClrKind == ClrKind.DateTime || v.ClrKind == ClrKind.TimeSpan;
    }
}
