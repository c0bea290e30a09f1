using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>
    /// The <c>IHandleBatch&lt;T&gt;</c> side of a consumer group's wiring model: which member types are handled in
    /// batches, and their batch slots (numbered in the order the dispatcher lists topics and members, so the slots are
    /// stable across equivalent sources). Shared by the generator's parser and the analyzers, so both agree on what is
    /// valid.
    /// </summary>
    public static class BatchHandling
    {
        /// <summary>True for a constructed <c>KafkaTyped.IHandleBatch&lt;T&gt;</c>.</summary>
        public static bool IsBatchHandler(INamedTypeSymbol iface) =>
            iface.Arity == 1 && iface.ConstructedFrom.ToDisplayString() == "KafkaTyped.IHandleBatch<TMessage>";

        /// <summary>The fully qualified names of the types <paramref name="type"/> handles in batches, or null when none.</summary>
        public static HashSet<string>? BatchedTypes(INamedTypeSymbol type)
        {
            HashSet<string>? names = null;
            foreach (INamedTypeSymbol iface in type.AllInterfaces)
            {
                if (IsBatchHandler(iface))
                {
                    (names ??= new HashSet<string>(StringComparer.Ordinal)).Add(iface.TypeArguments[0].ToDisplayString(SymbolFacts.PlainTypeFormat));
                }
            }

            return names;
        }

        /// <summary>
        /// Why <paramref name="message"/> cannot be handled in batches, or null when it can: it must be a
        /// <c>[KafkaMessage]</c> member of a <c>[Topic]</c> set (a replicated cache's operations are read one by one).
        /// </summary>
        public static string? Problem(ITypeSymbol message)
        {
            if (message is not INamedTypeSymbol named || message.TypeKind == TypeKind.TypeParameter)
            {
                return "it is not a [KafkaMessage] type";
            }

            if (CacheOperationNames.ContainingCache(named) is not null)
            {
                return "replicated-cache operations are handled one by one (IHandle<T>)";
            }

            if (!SymbolFacts.HasAttribute(named, KnownNames.KafkaMessageAttribute))
            {
                return "it is not a [KafkaMessage] type";
            }

            if (!named.AllInterfaces.Any(i => SymbolFacts.HasAttribute(i, KnownNames.TopicAttribute)))
            {
                return "it is not a member of a [Topic] message set, so no topic is read for it";
            }

            return null;
        }

        /// <summary>
        /// Adds the batch-handled members to <paramref name="topics"/> with their slots; false when one of them is invalid
        /// (the analyzers report it, KT0213).
        /// </summary>
        internal static bool AddBatchHandlers(INamedTypeSymbol type, SortedDictionary<string, List<HandledMessageModel>> topics, CancellationToken cancellationToken)
        {
            foreach (INamedTypeSymbol iface in type.AllInterfaces)
            {
                if (!IsBatchHandler(iface))
                {
                    continue;
                }

                if (iface.TypeArguments[0] is not INamedTypeSymbol message || Problem(message) is not null)
                {
                    return false;
                }

                string? set = ConsumerGroupParser.SetOf(type, message, cancellationToken);
                if (set is null)
                {
                    return false;
                }

                // Slot 0 for now: renumbered below once every member is known.
                ConsumerGroupParser.AddHandled(topics, set, new HandledMessageModel(message.ToDisplayString(SymbolFacts.PlainTypeFormat), ConsumerGroupParser.IndexExpression(set, message), BatchSlot: 0));
            }

            int slot = 0;
            foreach (KeyValuePair<string, List<HandledMessageModel>> topic in topics)
            {
                topic.Value.Sort((a, b) => StringComparer.Ordinal.Compare(a.FullTypeName, b.FullTypeName));
                for (int i = 0; i < topic.Value.Count; i++)
                {
                    if (topic.Value[i].IsBatch)
                    {
                        topic.Value[i] = topic.Value[i] with { BatchSlot = slot++ };
                    }
                }
            }

            return true;
        }
    }
}
