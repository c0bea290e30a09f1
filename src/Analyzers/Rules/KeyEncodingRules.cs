using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>
    /// Types with a defined Kafka key encoding (see KeyAttribute): the generator's rule
    /// (<see cref="KeyParser.KeyKindOf"/>: string as UTF-8, int/long big-endian, Guid as its 16 RFC 4122 bytes).
    /// </summary>
    internal static class KeyEncodingRules
    {
        /// <summary>True when the type has a key encoding, or is unresolved (the compiler reports that).</summary>
        public static bool HasKeyEncoding(ITypeSymbol type) =>
            type.TypeKind == TypeKind.Error || KeyParser.KeyKindOf(type) != KeyKind.None;
    }
}
