using Microsoft.CodeAnalysis;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>Protobuf names of messages: <c>[KafkaMessage(Name = ...)]</c> or the C# name, in the assembly's package.</summary>
    internal static class MessageNaming
    {
        public static string ProtoName(INamedTypeSymbol type, KnownSymbols known)
        {
            var attribute = KnownSymbols.Find(type, known.KafkaMessageAttribute);
            if (attribute is not null)
            {
                foreach (var pair in attribute.NamedArguments)
                {
                    if (pair.Key == "Name" && pair.Value.Value is string name && name.Length > 0)
                    {
                        return name;
                    }
                }
            }

            return type.Name;
        }

        /// <summary>The assembly's <c>[ProtoPackage]</c>, else the namespace in lower case (<c>Shop.Orders</c> → <c>shop.orders</c>).</summary>
        public static string Package(INamedTypeSymbol type, KnownSymbols known)
        {
            var attribute = KnownSymbols.Find(type.ContainingAssembly, known.ProtoPackageAttribute);
            if (attribute is not null && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string package)
            {
                return package;
            }

            return type.ContainingNamespace is null || type.ContainingNamespace.IsGlobalNamespace
                ? string.Empty
                : type.ContainingNamespace.ToDisplayString().ToLowerInvariant();
        }
    }
}
