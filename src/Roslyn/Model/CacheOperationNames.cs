using KafkaTyped.SchemaModel;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Model
{
    /// <summary>
    /// The operation messages the generator nests in every <c>[ReplicatedCache]</c> class (<c>PriceCache.Added</c>,
    /// <c>PriceCache.Updated</c>, <c>PriceCache.Deleted</c>) and their set class (<c>PriceCache.Operations</c>). The names
    /// and their order (the message index, as the runtime's <c>CacheOperationKind</c>) are those of the operations' one
    /// schema definition, <see cref="CacheOperationsProto"/>. Shared by the generator (which parses
    /// <c>IHandle&lt;PriceCache.Added&gt;</c> before the type exists) and the analyzers (which see the generated type).
    /// </summary>
    public static class CacheOperationNames
    {
        public const string Added = CacheOperationsProto.Added;
        public const string Updated = CacheOperationsProto.Updated;
        public const string Deleted = CacheOperationsProto.Deleted;

        /// <summary>The generated <c>MessageSetDefinition</c> nested in the cache class.</summary>
        public const string SetClass = "Operations";

        /// <summary>Every member the generator declares on a cache class; a user member with one of these names clashes.</summary>
        public static readonly string[] GeneratedMembers = { "TopicName", "PartitionCount", Added, Updated, Deleted, SetClass };

        /// <summary>The operation names in message-index order.</summary>
        public static readonly string[] All = CacheOperationsProto.MessageNames;

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
        /// The <c>snake_case</c> name of a cache in its operation package (<c>PriceCache</c> → <c>price_cache</c>), from the
        /// one definition of the operations' schema (<see cref="CacheOperationsProto"/>) the runtime uses too.
        /// </summary>
        public static string Snake(string name) => CacheOperationsProto.Snake(name);
    }
}
