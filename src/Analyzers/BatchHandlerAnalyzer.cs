using System.Collections.Immutable;
using KafkaTyped.Analyzers.Rules;
using KafkaTyped.Roslyn;
using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaTyped.Analyzers
{
    /// <summary>
    /// Checks batch handlers (<c>IHandleBatch&lt;T&gt;</c>): batch-like methods that nothing calls (KT0211), a type
    /// handled both singly and in batches (KT0212), and batch types that cannot be batched (KT0213). The generator emits
    /// no dispatcher for the last two; the rules say why.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BatchHandlerAnalyzer : KafkaTypedAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.BatchHandlerSignatureMismatch,
            DiagnosticDescriptors.SingleAndBatchHandler,
            DiagnosticDescriptors.UnsupportedBatchType);

        private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
        {
            var batchHandler = start.Compilation.GetTypeByMetadataName(KnownNames.BatchHandlerInterface);
            if (batchHandler is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, known, batchHandler), SymbolKind.NamedType);
        }

        /// <summary>
        /// True when <paramref name="method"/> looks like a batch handler: named like one, taking a collection of messages
        /// first (<c>MessageBatch&lt;T&gt;</c>, an array, or a list or enumerable interface of a <c>[KafkaMessage]</c> type).
        /// </summary>
        internal static bool LooksLikeBatchHandler(IMethodSymbol method, KnownSymbols known) =>
            method.MethodKind == MethodKind.Ordinary && !method.IsStatic && !method.IsImplicitlyDeclared
            && method.Name is "HandleAsync" or "Handle" or "HandleBatchAsync" or "HandleBatch"
            && method.Parameters.Length > 0 && ElementOf(method.Parameters[0].Type) is { } element && known.IsMessage(element);

        private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known, INamedTypeSymbol batchHandler)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Class)
            {
                return;
            }

            var batched = type.AllInterfaces.Where(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, batchHandler)).ToList();
            foreach (var iface in batched)
            {
                var message = iface.TypeArguments[0];
                if (message.TypeKind is TypeKind.Error or TypeKind.TypeParameter)
                {
                    // The compiler reports an unknown type; a generic base is judged where T is closed.
                    continue;
                }

                var location = BaseListLocation(type, iface, context);
                if (BatchHandling.Problem(message) is { } problem)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedBatchType, location, type.Name, Display(message), problem));
                }
                else if (type.AllInterfaces.Any(i => known.HandledType(i) is { } single && SymbolEqualityComparer.Default.Equals(single, message)))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SingleAndBatchHandler, location, type.Name, Display(message)));
                }
            }

            if (KnownSymbols.Find(type, known.ConsumerGroupAttribute) is null)
            {
                return;
            }

            foreach (var member in type.GetMembers())
            {
                if (member is not IMethodSymbol method || method.Locations.IsDefaultOrEmpty || !LooksLikeBatchHandler(method, known)
                    || ImplementsBatchHandler(method, type, batched))
                {
                    continue;
                }

                var element = ElementOf(method.Parameters[0].Type)!;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BatchHandlerSignatureMismatch, method.Locations[0], method.Name, Display(element)));
            }
        }

        private static bool ImplementsBatchHandler(IMethodSymbol method, INamedTypeSymbol type, System.Collections.Generic.List<INamedTypeSymbol> batched)
        {
            foreach (var iface in batched)
            {
                foreach (var interfaceMember in iface.GetMembers("HandleAsync"))
                {
                    if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(interfaceMember), method))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>The element type of a message collection parameter, or null for anything else.</summary>
        private static ITypeSymbol? ElementOf(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                return array.ElementType;
            }

            if (type is not INamedTypeSymbol { Arity: 1 } named)
            {
                return null;
            }

            var definition = named.ConstructedFrom.ToDisplayString();
            return definition switch
            {
                "KafkaTyped.MessageBatch<TMessage>" => named.TypeArguments[0],
                "System.Collections.Generic.IEnumerable<T>" or "System.Collections.Generic.IReadOnlyList<T>" or "System.Collections.Generic.IReadOnlyCollection<T>"
                    or "System.Collections.Generic.IList<T>" or "System.Collections.Generic.ICollection<T>" or "System.Collections.Generic.List<T>"
                    or "System.Collections.Immutable.ImmutableArray<T>" or "System.ReadOnlyMemory<T>" or "System.Memory<T>" => named.TypeArguments[0],
                _ => null,
            };
        }

        /// <summary>The base-list entry <c>IHandleBatch&lt;…&gt;</c>, else the type's identifier.</summary>
        private static Location BaseListLocation(INamedTypeSymbol type, INamedTypeSymbol iface, SymbolAnalysisContext context)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(context.CancellationToken) is TypeDeclarationSyntax { BaseList: { } baseList })
                {
                    foreach (var entry in baseList.Types)
                    {
                        if (entry.Type is GenericNameSyntax { Identifier.ValueText: "IHandleBatch" } generic && generic.TypeArgumentList.Arguments.Count == 1
                            && LastName(generic.TypeArgumentList.Arguments[0]) == iface.TypeArguments[0].Name)
                        {
                            return entry.GetLocation();
                        }
                    }
                }
            }

            return TypeDeclarations.IdentifierLocation(type, context.CancellationToken);
        }

        private static string LastName(TypeSyntax type) => type switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => type.ToString(),
        };

        private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
    }
}
