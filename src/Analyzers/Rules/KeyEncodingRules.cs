using Microsoft.CodeAnalysis;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>
    /// Types with a defined Kafka key encoding (see KeyAttribute): string as UTF-8, int/long big-endian as Kafka's own
    /// serializers, Guid as its 16 RFC 4122 bytes.
    /// </summary>
    internal static class KeyEncodingRules
    {
        public static bool HasKeyEncoding(ITypeSymbol type, KnownSymbols known)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_String:
                case SpecialType.System_Int32:
                case SpecialType.System_Int64:
                    return true;
            }

            return type.TypeKind == TypeKind.Error ||
                (known.Guid is not null && SymbolEqualityComparer.Default.Equals(type, known.Guid));
        }
    }
}
