using System.Text;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Model
{
    /// <summary>
    /// The operation messages the generator nests in every <c>[ReplicatedCache]</c> class (<c>PriceCache.Added</c>,
    /// <c>PriceCache.Updated</c>, <c>PriceCache.Deleted</c>) and their set class (<c>PriceCache.Operations</c>). The order
    /// is the message index, the same as the runtime's <c>CacheOperationKind</c>. Shared by the generator (which parses
    /// <c>IHandle&lt;PriceCache.Added&gt;</c> before the type exists) and the analyzers (which see the generated type).
    /// </summary>
    public static class CacheOperationNames
    {
        public const string Added = nameof(Added);
        public const string Updated = nameof(Updated);
        public const string Deleted = nameof(Deleted);

        /// <summary>The generated <c>MessageSetDefinition</c> nested in the cache class.</summary>
        public const string SetClass = "Operations";

        /// <summary>Every member the generator declares on a cache class; a user member with one of these names clashes.</summary>
        public static readonly string[] GeneratedMembers = { "TopicName", "PartitionCount", Added, Updated, Deleted, SetClass };

        /// <summary>The operation names in message-index order.</summary>
        public static readonly string[] All = { Added, Updated, Deleted };

        /// <summary>The message index of an operation name, or -1 when it is none.</summary>
        public static int IndexOf(string name)
        {
            for (int i = 0; i < All.Length; i++)
            {
                if (All[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// The cache class a handled type is nested in when it names one of the cache's operations: the generated type
        /// itself (a referenced assembly, or the analyzers' view) or, inside the generator, the error type Roslyn binds
        /// <c>PriceCache.Added</c> to (its containing symbol is still the cache class). Null when the type is not
        /// nested in a class marked <c>[ReplicatedCache]</c>.
        /// </summary>
        public static INamedTypeSymbol? ContainingCache(ITypeSymbol type)
        {
            if (type.ContainingSymbol is not INamedTypeSymbol owner || owner.TypeKind != TypeKind.Class)
            {
                return null;
            }

            foreach (AttributeData a in owner.GetAttributes())
            {
                if (a.AttributeClass?.ToDisplayString() == KnownNames.ReplicatedCacheAttribute)
                {
                    return owner;
                }
            }

            return null;
        }

        /// <summary>
        /// The <c>snake_case</c> name the runtime gives a cache in its operation package (<c>PriceCache</c> →
        /// <c>price_cache</c>): the exact rule of <c>KafkaTyped.Cache.CacheOperationsSchema.Snake</c>, so generated and
        /// runtime schemas are one schema in the registry.
        /// </summary>
        public static string Snake(string name)
        {
            var builder = new StringBuilder(name.Length + 4);
            if (name.Length == 0 || !IsAsciiLetter(name[0]))
            {
                builder.Append("cache_");
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9'))
                {
                    builder.Append('_');
                }
                else if (c >= 'A' && c <= 'Z')
                {
                    if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                    {
                        builder.Append('_');
                    }

                    builder.Append((char)(c + ('a' - 'A')));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
