using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>Symbols to wiring models; null for anything invalid (the analyzers report it).</summary>
    public static class WiringModelParser
    {
        internal static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

        public static ConsumerGroupModel? ParseGroup(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsStatic || type.Arity != 0 || type.ContainingType is not null
                || (type.DeclaredAccessibility != Accessibility.Public && type.DeclaredAccessibility != Accessibility.Internal))
            {
                return null;
            }

            AttributeData? attribute = Find(type, KnownNames.ConsumerGroupAttribute);
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

                if (batched is not null && batched.Contains(message.ToDisplayString(TypeFormat)))
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

                    string setClass = cache.ToDisplayString(TypeFormat) + "." + CacheOperationNames.SetClass;
                    cacheTopics.Add(setClass);
                    if (!topics.TryGetValue(setClass, out List<HandledMessageModel>? operations))
                    {
                        topics[setClass] = operations = new List<HandledMessageModel>();
                    }

                    operations.Add(operation);
                    continue;
                }

                string? set = SetOf(type, message, cancellationToken);
                if (set is null)
                {
                    return null;
                }

                if (!topics.TryGetValue(set, out List<HandledMessageModel>? list))
                {
                    topics[set] = list = new List<HandledMessageModel>();
                }

                list.Add(new HandledMessageModel(message.ToDisplayString(TypeFormat), set + "." + MessageModelParser.MessageProtoName(message) + "Index"));
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
                NamespaceOf(type),
                type.ToDisplayString(TypeFormat),
                type.Name + "Dispatcher",
                isPublic,
                groupId,
                new EquatableArray<HandledTopicModel>(topics.Select(t => new HandledTopicModel(
                    t.Key,
                    new EquatableArray<HandledMessageModel>(t.Value.OrderBy(m => m.FullTypeName, StringComparer.Ordinal)),
                    cacheTopics.Contains(t.Key)))));
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
                if (ParseCache(cache, cancellationToken) is null)
                {
                    return null;
                }
            }
            else if (message.TypeKind == TypeKind.Error || cache.GetTypeMembers(CacheOperationNames.SetClass).Length != 1)
            {
                // A referenced assembly's cache: its generated operation types must be there.
                return null;
            }

            string cacheName = cache.ToDisplayString(TypeFormat);
            return new HandledMessageModel(
                cacheName + "." + message.Name,
                cacheName + "." + CacheOperationNames.SetClass + "." + message.Name + "Index",
                IsCacheOperation: true);
        }

        /// <summary>The set class of a handled message, or null when the message is not a valid set member.</summary>
        internal static string? SetOf(INamedTypeSymbol handler, INamedTypeSymbol message, CancellationToken cancellationToken)
        {
            INamedTypeSymbol? set = message.AllInterfaces.FirstOrDefault(i => Find(i, KnownNames.TopicAttribute) is not null);
            if (set is null || Find(message, KnownNames.KafkaMessageAttribute) is null)
            {
                return null;
            }

            if (SymbolEqualityComparer.Default.Equals(message.ContainingAssembly, handler.ContainingAssembly))
            {
                // The codec for this message is generated in this compilation: only when its model is valid.
                return MessageModelParser.Parse(message, cancellationToken) is null ? null : MessageModelParser.SetClassFullName(set);
            }

            // Referenced assembly: the generated set class must be there with the member's index constant.
            string fullName = MessageModelParser.SetClassFullName(set);
            INamedTypeSymbol? setClass = set.ContainingNamespace.GetTypeMembers(ProtoNaming.SetBaseName(set.Name) + "Set").FirstOrDefault();
            return setClass is not null && setClass.GetMembers(MessageModelParser.MessageProtoName(message) + "Index").Length == 1 ? fullName : null;
        }

        public static CacheModel? ParseCache(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsStatic || type.Arity != 0 || type.ContainingType is not null
                || (type.DeclaredAccessibility != Accessibility.Public && type.DeclaredAccessibility != Accessibility.Internal))
            {
                return null;
            }

            foreach (SyntaxReference r in type.DeclaringSyntaxReferences)
            {
                if (r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && !t.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return null;
                }
            }

            INamedTypeSymbol? baseType = type.BaseType;
            if (baseType is null || baseType.Arity != 2 || baseType.ConstructedFrom.ToDisplayString() != "KafkaTyped.Cache.ReplicatedCache<TKey, TValue>")
            {
                return null;
            }

            // The generated constructor is the only one; a user constructor would clash.
            if (type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared))
            {
                return null;
            }

            // So would a user member named like a generated one (the analyzers report it, KT0113).
            foreach (string generated in CacheOperationNames.GeneratedMembers)
            {
                if (type.GetMembers(generated).Any(MessageModelParser.IsUserDeclared))
                {
                    return null;
                }
            }

            ITypeSymbol key = baseType.TypeArguments[0];
            if (key.SpecialType != SpecialType.System_String && key.SpecialType != SpecialType.System_Int32
                && key.SpecialType != SpecialType.System_Int64 && key.ToDisplayString() != "System.Guid")
            {
                return null;
            }

            if (baseType.TypeArguments[1] is not INamedTypeSymbol value || Find(value, KnownNames.KafkaMessageAttribute) is null)
            {
                return null;
            }

            if (SymbolEqualityComparer.Default.Equals(value.ContainingAssembly, type.ContainingAssembly) && MessageModelParser.Parse(value, cancellationToken) is null)
            {
                return null;
            }

            AttributeData? attribute = Find(type, KnownNames.ReplicatedCacheAttribute);
            if (attribute is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string topic
                || !IsValidTopic(topic))
            {
                return null;
            }

            int partitions = 12;
            foreach (KeyValuePair<string, TypedConstant> arg in attribute.NamedArguments)
            {
                if (arg.Key == "Partitions" && arg.Value.Value is int p)
                {
                    partitions = p;
                }
            }

            if (partitions < 1)
            {
                return null;
            }

            // The operation set's package and file follow the runtime's CacheOperationsSchema, with the cache's class name
            // as the runtime's cache name (what AddReplicatedCache passes), so both register one schema.
            string valuePackage = MessageModelParser.PackageOf(value);
            string valueProtoName = MessageModelParser.MessageProtoName(value);
            string snake = CacheOperationNames.Snake(type.Name);
            return new CacheModel(
                NamespaceOf(type),
                type.Name,
                type.ToDisplayString(TypeFormat),
                type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                type.IsSealed,
                topic,
                partitions,
                key.ToDisplayString(TypeFormat),
                value.ToDisplayString(TypeFormat),
                valuePackage.Length == 0 ? valueProtoName : valuePackage + "." + valueProtoName,
                MessageModelParser.FileOf(value),
                valuePackage.Length == 0 ? snake : valuePackage + "." + snake);
        }

        private static string NamespaceOf(INamedTypeSymbol type) =>
            type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();

        private static bool IsValidTopic(string name) =>
            name.Length > 0 && name.Length <= 249 && name != "." && name != ".."
            && name.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');

        private static AttributeData? Find(ISymbol symbol, string metadataName)
        {
            foreach (AttributeData a in symbol.GetAttributes())
            {
                if (a.AttributeClass?.ToDisplayString() == metadataName)
                {
                    return a;
                }
            }

            return null;
        }
    }
}
