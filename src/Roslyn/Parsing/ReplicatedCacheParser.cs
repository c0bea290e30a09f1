using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>
    /// Parses a <c>[ReplicatedCache]</c> class (a partial <c>ReplicatedCache&lt;TKey, TValue&gt;</c>) into its
    /// <see cref="CacheModel"/>, or null for anything invalid (the analyzers report it).
    /// </summary>
    public static class ReplicatedCacheParser
    {
        public static CacheModel? Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (!SymbolFacts.IsWireableClass(type) || !SymbolFacts.IsPartial(type, cancellationToken))
            {
                return null;
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
                if (type.GetMembers(generated).Any(SymbolFacts.IsUserDeclared))
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

            if (baseType.TypeArguments[1] is not INamedTypeSymbol value || !SymbolFacts.HasAttribute(value, KnownNames.KafkaMessageAttribute))
            {
                return null;
            }

            if (SymbolEqualityComparer.Default.Equals(value.ContainingAssembly, type.ContainingAssembly) && MessageModelParser.Parse(value, cancellationToken) is null)
            {
                return null;
            }

            AttributeData? attribute = SymbolFacts.FindAttribute(type, KnownNames.ReplicatedCacheAttribute);
            if (attribute is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string topic
                || !TopicNames.IsValid(topic))
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
            string valuePackage = ProtoIdentity.PackageOf(value);
            string valueProtoName = ProtoIdentity.MessageProtoName(value);
            string snake = CacheOperationNames.Snake(type.Name);
            return new CacheModel(
                SymbolFacts.NamespaceOf(type),
                type.Name,
                type.ToDisplayString(SymbolFacts.PlainTypeFormat),
                type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                type.IsSealed,
                topic,
                partitions,
                key.ToDisplayString(SymbolFacts.PlainTypeFormat),
                value.ToDisplayString(SymbolFacts.PlainTypeFormat),
                valuePackage.Length == 0 ? valueProtoName : valuePackage + "." + valueProtoName,
                ProtoIdentity.FileOf(value),
                valuePackage.Length == 0 ? snake : valuePackage + "." + snake);
        }
    }
}
