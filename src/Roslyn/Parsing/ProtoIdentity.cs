using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>Where a type lives in Protobuf: its message name (<c>[KafkaMessage(Name)]</c>), package (<c>[ProtoPackage]</c>) and <c>.proto</c> file.</summary>
    public static class ProtoIdentity
    {
        /// <summary>The Protobuf package of a type: the assembly's <c>[ProtoPackage]</c>, else its namespace in lower case.</summary>
        public static string PackageOf(INamedTypeSymbol type)
        {
            foreach (AttributeData a in type.ContainingAssembly.GetAttributes())
            {
                if (a.AttributeClass?.ToDisplayString() == KnownNames.ProtoPackageAttribute
                    && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string p)
                {
                    return p;
                }
            }

            return type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString().ToLowerInvariant();
        }

        /// <summary>The <c>.proto</c> file a message (its set's file, or its own) or a set interface lives in.</summary>
        public static string FileOf(INamedTypeSymbol type)
        {
            if (type.TypeKind == TypeKind.Interface)
            {
                return ProtoNaming.FileName(PackageOf(type), ProtoNaming.ToSnakeCase(ProtoNaming.SetBaseName(type.Name)));
            }

            foreach (INamedTypeSymbol iface in type.AllInterfaces)
            {
                if (SymbolFacts.HasAttribute(iface, KnownNames.TopicAttribute))
                {
                    return FileOf(iface);
                }
            }

            return ProtoNaming.FileName(PackageOf(type), ProtoNaming.ToSnakeCase(MessageProtoName(type)));
        }

        /// <summary>The Protobuf message name of a type: <c>[KafkaMessage(Name = ...)]</c>, else the type's name.</summary>
        public static string MessageProtoName(INamedTypeSymbol type)
        {
            AttributeData? a = SymbolFacts.FindAttribute(type, KnownNames.KafkaMessageAttribute);
            if (a is not null)
            {
                foreach (KeyValuePair<string, TypedConstant> arg in a.NamedArguments)
                {
                    if (arg.Key == "Name" && arg.Value.Value is string name && name.Length > 0)
                    {
                        return name;
                    }
                }
            }

            return type.Name;
        }
    }
}
