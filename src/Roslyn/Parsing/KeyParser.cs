using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>The <c>[Key]</c> member's Kafka key encoding.</summary>
    public static class KeyParser
    {
        /// <summary>The key encoding of a <c>[Key]</c> type (string, int, long, Guid), or <see cref="KeyKind.None"/>.</summary>
        public static KeyKind KeyKindOf(ITypeSymbol t)
        {
            switch (t.SpecialType)
            {
                case SpecialType.System_String:
                    return KeyKind.String;
                case SpecialType.System_Int32:
                    return KeyKind.Int32;
                case SpecialType.System_Int64:
                    return KeyKind.Int64;
            }

            return t.ToDisplayString() == "System.Guid" ? KeyKind.Guid : KeyKind.None;
        }
    }
}
