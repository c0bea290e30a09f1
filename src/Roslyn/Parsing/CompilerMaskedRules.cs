using System.Collections.Generic;
using System.Threading;
using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>
    /// The mistakes whose consequences are compiler errors at declaration level (CS0535, CS0738, CS0311, CS0246 on a
    /// generated type that is missing, ...). The command-line compiler reports no analyzer diagnostic once a compilation
    /// has such an error, so the generator reports these and the analyzers leave them alone: each appears once, in
    /// <c>dotnet build</c> and in an IDE, where the code fixes still apply to it.
    /// </summary>
    /// <remarks>
    /// A generator diagnostic is located by path and span, so <c>#pragma warning disable</c> cannot suppress it
    /// (dotnet/runtime#92509); <c>.editorconfig</c> severities still apply.
    /// </remarks>
    public static class CompilerMaskedRules
    {
        /// <summary>KT0001: a type marked with a KafkaTyped attribute that is not partial gets no generated part.</summary>
        public static DiagnosticInfo? NotPartial(INamedTypeSymbol type, string attributeName, CancellationToken cancellationToken)
        {
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is BaseTypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return DiagnosticInfo.Create(DiagnosticIds.TypeMustBePartial, declaration.Identifier.GetLocation(), new[] { type.Name, attributeName });
                }
            }

            return null;
        }

        /// <summary>
        /// KT0201/KT0202 in the shape the compiler rejects: the class declares <c>IHandle&lt;T&gt;</c> but nothing implements
        /// its <c>HandleAsync</c> (CS0535, or CS0738 for another return type), and a handler-named method takes <c>T</c>.
        /// </summary>
        public static List<DiagnosticInfo> UnimplementedHandlers(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var result = new List<DiagnosticInfo>();
            foreach (INamedTypeSymbol handled in UnimplementedHandledTypes(type))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (ISymbol member in type.GetMembers())
                {
                    if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, IsImplicitlyDeclared: false } method
                        || (method.Name != "HandleAsync" && method.Name != "Handle") || method.Parameters.Length == 0
                        || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, handled.TypeArguments[0])
                        || method.Locations.IsDefaultOrEmpty || !method.Locations[0].IsInSource)
                    {
                        continue;
                    }

                    string messageType = handled.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                    result.Add(method.IsAsync && method.ReturnsVoid
                        ? DiagnosticInfo.Create(DiagnosticIds.AsyncVoidHandler, method.Locations[0], new[] { method.Name }, DiagnosticProperties.MessageType, messageType)
                        : DiagnosticInfo.Create(DiagnosticIds.HandlerSignatureMismatch, method.Locations[0],
                            new[] { method.Name, handled.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) },
                            DiagnosticProperties.MessageType, messageType));
                }
            }

            return result;
        }

        /// <summary>The <c>IHandle&lt;T&gt;</c> interfaces of <paramref name="type"/> whose <c>HandleAsync</c> nothing implements.</summary>
        public static IEnumerable<INamedTypeSymbol> UnimplementedHandledTypes(INamedTypeSymbol type)
        {
            foreach (INamedTypeSymbol iface in type.AllInterfaces)
            {
                if (iface.Arity != 1 || iface.ConstructedFrom.ToDisplayString() != "KafkaTyped.IHandle<TMessage>")
                {
                    continue;
                }

                foreach (ISymbol member in iface.GetMembers("HandleAsync"))
                {
                    if (type.FindImplementationForInterfaceMember(member) is null)
                    {
                        yield return iface;
                        break;
                    }
                }
            }
        }

        /// <summary>
        /// KT0107: the value of a <c>ReplicatedCache&lt;TKey, TValue&gt;</c> is neither a <c>[KafkaMessage]</c> record nor a
        /// protoc message, which the base class's constraint rejects (CS0311).
        /// </summary>
        public static DiagnosticInfo? CacheValueNotMessage(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                if (baseType.Arity != 2 || baseType.ConstructedFrom.ToDisplayString() != "KafkaTyped.Cache.ReplicatedCache<TKey, TValue>")
                {
                    continue;
                }

                ITypeSymbol value = baseType.TypeArguments[1];
                if (value.TypeKind == TypeKind.Error || IsMessage(value))
                {
                    return null;
                }

                foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(cancellationToken) is BaseTypeDeclarationSyntax declaration)
                    {
                        return DiagnosticInfo.Create(DiagnosticIds.CacheValueNotMessage, declaration.Identifier.GetLocation(),
                            new[] { type.Name, value.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) });
                    }
                }

                return null;
            }

            return null;
        }

        /// <summary>A <c>[KafkaMessage]</c> type (whatever its state) or a type implementing Google.Protobuf's <c>IMessage&lt;T&gt;</c>.</summary>
        public static bool IsMessage(ITypeSymbol type)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == KnownNames.KafkaMessageAttribute)
                {
                    return true;
                }
            }

            foreach (INamedTypeSymbol iface in type.AllInterfaces)
            {
                if (iface.OriginalDefinition.ToDisplayString() == "Google.Protobuf.IMessage<T>")
                {
                    return true;
                }
            }

            return false;
        }
    }
}
