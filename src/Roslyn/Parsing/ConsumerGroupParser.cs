using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>
    /// Parses a <c>[ConsumerGroup]</c> handler class into its <see cref="ConsumerGroupModel"/>, or null for anything invalid
    /// (the analyzers report it). The <c>IHandleBatch&lt;T&gt;</c> side lives in <see cref="BatchHandling"/>.
    /// </summary>
    public static class ConsumerGroupParser
    {
        public static ConsumerGroupModel? Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (!SymbolFacts.IsWireableClass(type))
            {
                return null;
            }

            AttributeData? attribute = SymbolFacts.FindAttribute(type, KnownNames.ConsumerGroupAttribute);
            if (attribute is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string groupId
                || groupId.Trim().Length == 0)
            {
                return null;
            }

            var topics = new SortedDictionary<string, List<HandledMessageModel>>(StringComparer.Ordinal);
            var cacheTopics = new HashSet<string>(StringComparer.Ordinal);
            HashSet<string>? batched = BatchHandling.BatchedTypes(type);
            foreach (INamedTypeSymbol iface in type.AllInterfaces)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (BatchHandling.IsBatchHandler(iface))
                {
                    continue;
                }

                if (iface.Arity != 1 || iface.ConstructedFrom.ToDisplayString() != "KafkaTyped.IHandle<TMessage>"
                    || iface.TypeArguments[0] is not INamedTypeSymbol message)
                {
                    continue;
                }

                if (batched is not null && batched.Contains(message.ToDisplayString(SymbolFacts.PlainTypeFormat)))
                {
                    // Handled singly and in batches: ambiguous (the analyzers report it, KT0212).
                    return null;
                }

                if (CacheOperationNames.ContainingCache(message) is { } cache)
                {
                    HandledMessageModel? operation = CacheOperationOf(type, cache, message, cancellationToken);
                    if (operation is null)
                    {
                        return null;
                    }

                    string setClass = cache.ToDisplayString(SymbolFacts.PlainTypeFormat) + "." + CacheOperationNames.SetClass;
                    cacheTopics.Add(setClass);
                    AddHandled(topics, setClass, operation);
                    continue;
                }

                string? set = SetOf(type, message, cancellationToken);
                if (set is null)
                {
                    return null;
                }

                AddHandled(topics, set, new HandledMessageModel(message.ToDisplayString(SymbolFacts.PlainTypeFormat), IndexExpression(set, message)));
            }

            if (batched is not null && !BatchHandling.AddBatchHandlers(type, topics, cancellationToken))
            {
                return null;
            }

            if (topics.Count == 0)
            {
                return null;
            }

            bool isPublic = type.DeclaredAccessibility == Accessibility.Public;
            return new ConsumerGroupModel(
                SymbolFacts.NamespaceOf(type),
                type.ToDisplayString(SymbolFacts.PlainTypeFormat),
                type.Name + "Dispatcher",
                isPublic,
                groupId,
                new EquatableArray<HandledTopicModel>(topics.Select(t => new HandledTopicModel(
                    t.Key,
                    new EquatableArray<HandledMessageModel>(t.Value.OrderBy(m => m.FullTypeName, StringComparer.Ordinal)),
                    cacheTopics.Contains(t.Key)))));
        }

        /// <summary>The set class of a handled message, or null when the message is not a valid set member.</summary>
        internal static string? SetOf(INamedTypeSymbol handler, INamedTypeSymbol message, CancellationToken cancellationToken)
        {
            INamedTypeSymbol? set = message.AllInterfaces.FirstOrDefault(i => SymbolFacts.HasAttribute(i, KnownNames.TopicAttribute));
            if (set is null || !SymbolFacts.HasAttribute(message, KnownNames.KafkaMessageAttribute))
            {
                return null;
            }

            if (SymbolEqualityComparer.Default.Equals(message.ContainingAssembly, handler.ContainingAssembly))
            {
                // The codec for this message is generated in this compilation: only when its model is valid.
                return MessageModelParser.Parse(message, cancellationToken) is null ? null : MessageSetParser.SetClassFullName(set);
            }

            // Referenced assembly: the generated set class must be there with the member's index constant.
            string fullName = MessageSetParser.SetClassFullName(set);
            INamedTypeSymbol? setClass = set.ContainingNamespace.GetTypeMembers(ProtoNaming.SetBaseName(set.Name) + "Set").FirstOrDefault();
            return setClass is not null && setClass.GetMembers(ProtoIdentity.MessageProtoName(message) + "Index").Length == 1 ? fullName : null;
        }

        /// <summary>The message-index constant of a set member: <c>global::Shop.OrderEventsSet.OrderPlacedIndex</c>.</summary>
        internal static string IndexExpression(string setClass, INamedTypeSymbol message) =>
            setClass + "." + ProtoIdentity.MessageProtoName(message) + "Index";

        internal static void AddHandled(SortedDictionary<string, List<HandledMessageModel>> topics, string setClass, HandledMessageModel handled)
        {
            if (!topics.TryGetValue(setClass, out List<HandledMessageModel>? list))
            {
                topics[setClass] = list = new List<HandledMessageModel>();
            }

            list.Add(handled);
        }

        /// <summary>
        /// A handled operation of a replicated cache (<c>IHandle&lt;PriceCache.Added&gt;</c>), or null when the name is no
        /// operation or the cache gets no generated operations (the analyzers report both, KT0208). In this compilation
        /// the generated type does not exist yet: Roslyn binds the name to an error type nested in the cache class.
        /// </summary>
        private static HandledMessageModel? CacheOperationOf(INamedTypeSymbol handler, INamedTypeSymbol cache, INamedTypeSymbol message, CancellationToken cancellationToken)
        {
            if (message.Arity != 0 || CacheOperationNames.IndexOf(message.Name) < 0)
            {
                return null;
            }

            if (SymbolEqualityComparer.Default.Equals(cache.ContainingAssembly, handler.ContainingAssembly))
            {
                // Generated in this compilation: only when the cache itself is valid.
                if (ReplicatedCacheParser.Parse(cache, cancellationToken) is null)
                {
                    return null;
                }
            }
            else if (message.TypeKind == TypeKind.Error || cache.GetTypeMembers(CacheOperationNames.SetClass).Length != 1)
            {
                // A referenced assembly's cache: its generated operation types must be there.
                return null;
            }

            string cacheName = cache.ToDisplayString(SymbolFacts.PlainTypeFormat);
            return new HandledMessageModel(
                cacheName + "." + message.Name,
                cacheName + "." + CacheOperationNames.SetClass + "." + message.Name + "Index",
                IsCacheOperation: true);
        }
    }
}
