using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>Facts about where and how a type is declared in source.</summary>
    internal static class TypeDeclarations
    {
        /// <summary>
        /// True when every source declaration of <paramref name="type"/> carries <c>partial</c> (the generator's rule), or
        /// when it has none (metadata types are not ours to judge).
        /// </summary>
        public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken) =>
            type.DeclaringSyntaxReferences.IsDefaultOrEmpty || SymbolFacts.IsPartial(type, cancellationToken);

        /// <summary>The identifier of the first declaration that is not partial, else of the first declaration.</summary>
        public static Location IdentifierLocation(INamedTypeSymbol type, CancellationToken cancellationToken, bool preferNonPartial = false)
        {
            Location? first = null;
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is BaseTypeDeclarationSyntax declaration)
                {
                    var location = declaration.Identifier.GetLocation();
                    first ??= location;
                    if (preferNonPartial && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                    {
                        return location;
                    }
                }
            }

            return first ?? (type.Locations.IsDefaultOrEmpty ? Location.None : type.Locations[0]);
        }

        /// <summary>
        /// True when the syntax lives in generated code (the KafkaTyped generator's own <c>.g.cs</c> parts), which the
        /// analyzers must never judge as if the user wrote it.
        /// </summary>
        public static bool IsGenerated(SyntaxTree tree)
        {
            var path = tree.FilePath;
            return path.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase) ||
                path.EndsWith(".generated.cs", StringComparison.OrdinalIgnoreCase) ||
                path.EndsWith(".designer.cs", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The location of an attribute's argument (positional by index, or named), else of the attribute.</summary>
        public static Location ArgumentLocation(AttributeData attribute, CancellationToken cancellationToken, int index = 0, string? name = null)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
            {
                return Location.None;
            }

            var arguments = syntax.ArgumentList?.Arguments;
            if (arguments is { } list)
            {
                var positional = 0;
                foreach (var argument in list)
                {
                    if (argument.NameEquals is not null)
                    {
                        if (name is not null && argument.NameEquals.Name.Identifier.ValueText == name)
                        {
                            return argument.Expression.GetLocation();
                        }

                        continue;
                    }

                    if (name is null && positional++ == index)
                    {
                        return argument.Expression.GetLocation();
                    }
                }
            }

            return syntax.GetLocation();
        }

        /// <summary>The value of a named attribute argument, or null when absent or not of type <typeparamref name="T"/>.</summary>
        public static T? NamedArgument<T>(AttributeData attribute, string name)
            where T : struct
        {
            foreach (var pair in attribute.NamedArguments)
            {
                if (pair.Key == name && pair.Value.Kind != TypedConstantKind.Error && pair.Value.Value is T value)
                {
                    return value;
                }
            }

            return null;
        }

        /// <summary>The first constructor argument as a string, or null (missing, null or mistyped).</summary>
        public static bool TryGetStringArgument(AttributeData attribute, out string? value)
        {
            value = null;
            if (attribute.ConstructorArguments.Length != 1)
            {
                return false;
            }

            var argument = attribute.ConstructorArguments[0];
            if (argument.Kind == TypedConstantKind.Error || argument.Kind == TypedConstantKind.Array)
            {
                return false;
            }

            value = argument.Value as string;
            return argument.Value is null || value is not null;
        }
    }
}
