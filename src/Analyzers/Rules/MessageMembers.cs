using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>One serialized member of a message: a settable instance property or a positional record parameter.</summary>
    internal sealed class MessageMember(IPropertySymbol property, AttributeData? field, AttributeData? key, Location location, bool isPositional)
    {
        public IPropertySymbol Property { get; } = property;

        public string Name => Property.Name;

        public ITypeSymbol Type => Property.Type;

        /// <summary>The <c>[Field]</c> attribute, on the property or on the positional parameter.</summary>
        public AttributeData? Field { get; } = field;

        public AttributeData? Key { get; } = key;

        /// <summary>The member's identifier (the parameter's for a positional member).</summary>
        public Location Location { get; } = location;

        public bool IsPositional { get; } = isPositional;

        /// <summary>The declared field number, or null when the attribute is missing or its argument is not an int.</summary>
        public int? Number
        {
            get
            {
                if (Field is null || Field.ConstructorArguments.Length != 1)
                {
                    return null;
                }

                var argument = Field.ConstructorArguments[0];
                return argument.Kind != TypedConstantKind.Error && argument.Value is int number ? number : null;
            }
        }
    }

    /// <summary>The serialized members of a message and its <c>[Reserved]</c> numbers and names.</summary>
    internal static class MessageMembers
    {
        public static ImmutableArray<MessageMember> Collect(INamedTypeSymbol type, KnownSymbols known, CancellationToken cancellationToken)
        {
            var positional = PositionalParameters(type, cancellationToken);
            var members = ImmutableArray.CreateBuilder<MessageMember>();
            foreach (var symbol in type.GetMembers())
            {
                if (symbol is not IPropertySymbol property || property.IsStatic || property.IsIndexer || property.IsImplicitlyDeclared)
                {
                    continue;
                }

                var syntax = UserDeclaration(property, cancellationToken);
                if (syntax is null)
                {
                    continue;
                }

                var field = KnownSymbols.Find(property, known.FieldAttribute);
                var key = KnownSymbols.Find(property, known.KeyAttribute);
                var location = property.Locations.IsDefaultOrEmpty ? Location.None : property.Locations[0];
                var isPositional = false;
                if (syntax is ParameterSyntax parameterSyntax && positional.TryGetValue(parameterSyntax, out var parameter))
                {
                    isPositional = true;
                    field ??= KnownSymbols.Find(parameter, known.FieldAttribute);
                    key ??= KnownSymbols.Find(parameter, known.KeyAttribute);
                    location = parameterSyntax.Identifier.GetLocation();
                }
                else if (FindByName(positional, property.Name) is { } sameName)
                {
                    // record R([Field(1)] string Id) { public string Id { get; init; } = Id; }: the parameter's attributes count.
                    field ??= KnownSymbols.Find(sameName, known.FieldAttribute);
                    key ??= KnownSymbols.Find(sameName, known.KeyAttribute);
                }

                // Computed get-only properties are not data; a member counts when it is numbered, positional or settable.
                var isData = field is not null || isPositional ||
                    (property.SetMethod is not null && property.DeclaredAccessibility == Accessibility.Public);
                if (isData)
                {
                    members.Add(new MessageMember(property, field, key, location, isPositional));
                }
            }

            return members.ToImmutable();
        }

        public static void CollectReserved(INamedTypeSymbol type, KnownSymbols known, HashSet<int> numbers, HashSet<string> names)
        {
            if (known.ReservedAttribute is null)
            {
                return;
            }

            foreach (var attribute in type.GetAttributes())
            {
                if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.ReservedAttribute))
                {
                    continue;
                }

                foreach (var argument in attribute.ConstructorArguments)
                {
                    if (argument.Kind == TypedConstantKind.Array)
                    {
                        foreach (var item in argument.Values)
                        {
                            Add(item, numbers, names);
                        }
                    }
                    else
                    {
                        Add(argument, numbers, names);
                    }
                }
            }
        }

        private static void Add(TypedConstant item, HashSet<int> numbers, HashSet<string> names)
        {
            if (item.Kind == TypedConstantKind.Error)
            {
                return;
            }

            if (item.Value is int number)
            {
                numbers.Add(number);
            }
            else if (item.Value is string name)
            {
                names.Add(name);
            }
        }

        private static IParameterSymbol? FindByName(Dictionary<ParameterSyntax, IParameterSymbol> positional, string name)
        {
            foreach (var parameter in positional.Values)
            {
                if (parameter.Name == name)
                {
                    return parameter;
                }
            }

            return null;
        }

        private static SyntaxNode? UserDeclaration(IPropertySymbol property, CancellationToken cancellationToken)
        {
            foreach (var reference in property.DeclaringSyntaxReferences)
            {
                if (!TypeDeclarations.IsGenerated(reference.SyntaxTree))
                {
                    return reference.GetSyntax(cancellationToken);
                }
            }

            return null;
        }

        private static Dictionary<ParameterSyntax, IParameterSymbol> PositionalParameters(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var map = new Dictionary<ParameterSyntax, IParameterSymbol>();
            foreach (var constructor in type.InstanceConstructors)
            {
                foreach (var parameter in constructor.Parameters)
                {
                    foreach (var reference in parameter.DeclaringSyntaxReferences)
                    {
                        if (reference.GetSyntax(cancellationToken) is ParameterSyntax syntax &&
                            syntax.Parent?.Parent is TypeDeclarationSyntax)
                        {
                            map[syntax] = parameter;
                        }
                    }
                }
            }

            return map;
        }
    }
}
