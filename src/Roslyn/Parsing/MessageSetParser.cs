using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>Parses a <c>[Topic]</c> interface (a message set) into its <see cref="SetModel"/>.</summary>
    public static class MessageSetParser
    {
        /// <summary>Builds the model of a <c>[Topic]</c> interface, or returns null and fills <paramref name="errors"/>.</summary>
        public static SetModel? Parse(INamedTypeSymbol iface, CancellationToken cancellationToken, List<ModelError>? errors = null)
        {
            errors ??= new List<ModelError>();
            if (iface.TypeKind != TypeKind.Interface || iface.ContainingType is not null || iface.Arity != 0)
            {
                errors.Add(new ModelError(iface.Name, "a [Topic] must be a top-level, non-generic interface"));
                return null;
            }

            if (!SymbolFacts.IsPartial(iface, cancellationToken))
            {
                errors.Add(new ModelError(iface.Name, "a [Topic] interface must be partial"));
                return null;
            }

            AttributeData? topic = SymbolFacts.FindAttribute(iface, KnownNames.TopicAttribute);
            string? name = topic?.ConstructorArguments.Length == 1 ? topic.ConstructorArguments[0].Value as string : null;
            if (name is null || !TopicNames.IsValid(name))
            {
                errors.Add(new ModelError(iface.Name, "the topic name must be 1 to 249 characters of [a-zA-Z0-9._-], not '.' or '..'"));
                return null;
            }

            int partitions = 6;
            short replication = -1;
            foreach (KeyValuePair<string, TypedConstant> arg in topic!.NamedArguments)
            {
                if (arg.Key == "Partitions" && arg.Value.Value is int p)
                {
                    partitions = p;
                }
                else if (arg.Key == "ReplicationFactor" && arg.Value.Value is short r)
                {
                    replication = r;
                }
            }

            if (partitions < 1)
            {
                errors.Add(new ModelError(iface.Name, "Partitions must be at least 1"));
                return null;
            }

            string package = ProtoIdentity.PackageOf(iface);
            if (!ProtoNaming.IsValidPackage(package))
            {
                errors.Add(new ModelError(iface.Name, $"'{package}' is not a valid Protobuf package"));
                return null;
            }

            string className = ProtoNaming.SetBaseName(iface.Name) + "Set";
            return new SetModel(
                Namespace: SymbolFacts.NamespaceOf(iface),
                InterfaceFullName: iface.ToDisplayString(SymbolFacts.PlainTypeFormat),
                ClassName: className,
                FullClassName: SetClassFullName(iface),
                IsPublic: iface.DeclaredAccessibility == Accessibility.Public,
                Topic: name,
                Partitions: partitions,
                ReplicationFactor: replication,
                Package: package,
                FileName: ProtoIdentity.FileOf(iface));
        }

        /// <summary>The generated set class of a <c>[Topic]</c> interface: <c>IOrderEvents</c> → <c>OrderEventsSet</c>.</summary>
        public static string SetClassFullName(INamedTypeSymbol iface)
        {
            string ns = iface.ContainingNamespace.IsGlobalNamespace ? string.Empty : iface.ContainingNamespace.ToDisplayString() + ".";
            return "global::" + ns + ProtoNaming.SetBaseName(iface.Name) + "Set";
        }
    }
}
