using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>
    /// Facts about symbols every parser asks: attributes by metadata name, partial, user-declared, the primary constructor,
    /// the namespace, the shape of a wiring class, display formats.
    /// </summary>
    public static class SymbolFacts
    {
        internal static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        internal static readonly SymbolDisplayFormat PlainTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

        /// <summary>
        /// Written by the user: not compiler-synthesized, and not only in generated <c>.g.cs</c> files. The analyzers run
        /// this parser on a compilation that already holds the generator's output, whose members must not count as clashes.
        /// </summary>
        public static bool IsUserDeclared(ISymbol member) =>
            !member.IsImplicitlyDeclared
            && member.DeclaringSyntaxReferences.Any(r => !r.SyntaxTree.FilePath.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase));

        /// <summary>True when the type has source declarations and every one carries <c>partial</c>.</summary>
        public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (SyntaxReference r in type.DeclaringSyntaxReferences)
            {
                if (r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && !t.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return false;
                }
            }

            return type.DeclaringSyntaxReferences.Length > 0;
        }

        internal static IMethodSymbol? PrimaryConstructor(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (IMethodSymbol ctor in type.InstanceConstructors)
            {
                foreach (SyntaxReference r in ctor.DeclaringSyntaxReferences)
                {
                    if (r.GetSyntax(cancellationToken) is RecordDeclarationSyntax)
                    {
                        return ctor;
                    }
                }
            }

            return null;
        }

        internal static AttributeData? FindAttribute(ISymbol symbol, string metadataName)
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

        internal static bool HasAttribute(ISymbol symbol, string metadataName) => FindAttribute(symbol, metadataName) is not null;

        /// <summary>The type's namespace as written (<c>Shop.Orders</c>), or empty in the global namespace.</summary>
        internal static string NamespaceOf(INamedTypeSymbol type) =>
            type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();

        /// <summary>
        /// A class the generator can wire (a <c>[ConsumerGroup]</c> handler, a <c>[ReplicatedCache]</c>): concrete,
        /// non-generic, top-level and public or internal, because the generated code names and constructs it.
        /// </summary>
        internal static bool IsWireableClass(INamedTypeSymbol type) =>
            type.TypeKind == TypeKind.Class && !type.IsAbstract && !type.IsStatic && type.Arity == 0 && type.ContainingType is null
            && (type.DeclaredAccessibility == Accessibility.Public || type.DeclaredAccessibility == Accessibility.Internal);
    }
}
