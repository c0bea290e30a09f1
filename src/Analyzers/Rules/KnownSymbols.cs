using KafkaTyped.Roslyn;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>
    /// The marker and BCL symbols the analyzers compare against, resolved once per compilation
    /// (in <c>RegisterCompilationStartAction</c>) so no node or symbol callback looks a type up by name.
    /// </summary>
    internal sealed class KnownSymbols
    {
        private KnownSymbols(Compilation compilation, INamedTypeSymbol kafkaMessage)
        {
            KafkaMessageAttribute = kafkaMessage;
            FieldAttribute = compilation.GetTypeByMetadataName(KnownNames.FieldAttribute);
            KeyAttribute = compilation.GetTypeByMetadataName(KnownNames.KeyAttribute);
            ReservedAttribute = compilation.GetTypeByMetadataName(KnownNames.ReservedAttribute);
            ProtoPackageAttribute = compilation.GetTypeByMetadataName(KnownNames.ProtoPackageAttribute);
            TopicAttribute = compilation.GetTypeByMetadataName(KnownNames.TopicAttribute);
            ConsumerGroupAttribute = compilation.GetTypeByMetadataName(KnownNames.ConsumerGroupAttribute);
            ReplicatedCacheAttribute = compilation.GetTypeByMetadataName(KnownNames.ReplicatedCacheAttribute);
            HandlerInterface = compilation.GetTypeByMetadataName(KnownNames.HandlerInterface);
            MessageContext = compilation.GetTypeByMetadataName(KnownNames.MessageContext);
            ReplicatedCacheBase = compilation.GetTypeByMetadataName(KnownNames.ReplicatedCacheBase);
            ProtobufMessage = compilation.GetTypeByMetadataName("Google.Protobuf.IMessage`1");

            Guid = compilation.GetTypeByMetadataName("System.Guid");
            DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
            TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
            ReadOnlyMemory = compilation.GetTypeByMetadataName("System.ReadOnlyMemory`1");
            List = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
            IReadOnlyList = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyList`1");
            ImmutableArray = compilation.GetTypeByMetadataName("System.Collections.Immutable.ImmutableArray`1");
            Dictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2");
            IReadOnlyDictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyDictionary`2");
            IEnumerable = compilation.GetTypeByMetadataName("System.Collections.IEnumerable");
            IDictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.IDictionary`2");
            DateOnly = compilation.GetTypeByMetadataName("System.DateOnly");
            TimeOnly = compilation.GetTypeByMetadataName("System.TimeOnly");

            Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
            TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
            ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
            ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
            CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
            Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        }

        public INamedTypeSymbol KafkaMessageAttribute { get; }
        public INamedTypeSymbol? FieldAttribute { get; }
        public INamedTypeSymbol? KeyAttribute { get; }
        public INamedTypeSymbol? ReservedAttribute { get; }
        public INamedTypeSymbol? ProtoPackageAttribute { get; }
        public INamedTypeSymbol? TopicAttribute { get; }
        public INamedTypeSymbol? ConsumerGroupAttribute { get; }
        public INamedTypeSymbol? ReplicatedCacheAttribute { get; }
        public INamedTypeSymbol? HandlerInterface { get; }
        public INamedTypeSymbol? MessageContext { get; }
        public INamedTypeSymbol? ReplicatedCacheBase { get; }
        public INamedTypeSymbol? ProtobufMessage { get; }

        public INamedTypeSymbol? Guid { get; }
        public INamedTypeSymbol? DateTimeOffset { get; }
        public INamedTypeSymbol? TimeSpan { get; }
        public INamedTypeSymbol? ReadOnlyMemory { get; }
        public INamedTypeSymbol? List { get; }
        public INamedTypeSymbol? IReadOnlyList { get; }
        public INamedTypeSymbol? ImmutableArray { get; }
        public INamedTypeSymbol? Dictionary { get; }
        public INamedTypeSymbol? IReadOnlyDictionary { get; }
        public INamedTypeSymbol? IEnumerable { get; }
        public INamedTypeSymbol? IDictionary { get; }
        public INamedTypeSymbol? DateOnly { get; }
        public INamedTypeSymbol? TimeOnly { get; }

        public INamedTypeSymbol? Task { get; }
        public INamedTypeSymbol? TaskOfT { get; }
        public INamedTypeSymbol? ValueTask { get; }
        public INamedTypeSymbol? ValueTaskOfT { get; }
        public INamedTypeSymbol? CancellationToken { get; }
        public INamedTypeSymbol? Thread { get; }

        /// <summary>Resolves the symbols, or returns null when the compilation does not reference KafkaTyped.</summary>
        public static KnownSymbols? Create(Compilation compilation)
        {
            var kafkaMessage = compilation.GetTypeByMetadataName(KnownNames.KafkaMessageAttribute);
            return kafkaMessage is null ? null : new KnownSymbols(compilation, kafkaMessage);
        }

        public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attribute)
        {
            if (attribute is null)
            {
                return null;
            }

            foreach (var data in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                {
                    return data;
                }
            }

            return null;
        }

        public bool IsMessage(ITypeSymbol? type) => type is INamedTypeSymbol named && Find(named, KafkaMessageAttribute) is not null;

        /// <summary>A <c>[KafkaMessage]</c> type or a protoc-generated Google.Protobuf message.</summary>
        public bool IsMessageOrProtobufMessage(ITypeSymbol? type)
        {
            if (IsMessage(type))
            {
                return true;
            }

            if (type is null || ProtobufMessage is null)
            {
                return false;
            }

            foreach (var iface in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(iface.OriginalDefinition, ProtobufMessage))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// A generated operation message of a replicated cache (<c>PriceCache.Added</c>, <c>Updated</c>, <c>Deleted</c>):
        /// a Protobuf message with an operation's name nested in a <c>[ReplicatedCache]</c> class.
        /// </summary>
        public bool IsCacheOperation(ITypeSymbol? type) =>
            type is INamedTypeSymbol { TypeKind: TypeKind.Class, Arity: 0 } named
            && Roslyn.Model.CacheOperationNames.IndexOf(named.Name) >= 0
            && named.ContainingType is { } owner
            && Find(owner, ReplicatedCacheAttribute) is not null
            && IsMessageOrProtobufMessage(named);

        /// <summary>True when <paramref name="type"/> derives from <c>ReplicatedCache&lt;TKey, TValue&gt;</c>.</summary>
        public bool DerivesFromReplicatedCache(INamedTypeSymbol type)
        {
            for (var baseType = type.BaseType; baseType is not null && ReplicatedCacheBase is not null; baseType = baseType.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(baseType.OriginalDefinition, ReplicatedCacheBase))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The <c>T</c> of an <c>IHandle&lt;T&gt;</c>, or null when <paramref name="type"/> is not one.</summary>
        public ITypeSymbol? HandledType(INamedTypeSymbol type) =>
            HandlerInterface is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, HandlerInterface)
                ? type.TypeArguments[0]
                : null;
    }
}
