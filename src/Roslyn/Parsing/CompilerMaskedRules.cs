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

        /// <summary>
        /// KT0208 in the shape the compiler rejects: a class handles <c>Cache.Name</c> that is no generated operation of
        /// <c>Cache</c> (CS0426, the type does not exist). In the generator's view every operation of this compilation's
        /// caches is still an error type, so a name counts as generated when it is an operation of a cache the generator
        /// emits (<see cref="ReplicatedCacheParser.Parse"/>).
        /// </summary>
        public static List<DiagnosticInfo> UnknownCacheOperations(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var result = new List<DiagnosticInfo>();
            foreach (INamedTypeSymbol iface in type.AllInterfaces)
            {
                if (iface.Arity != 1 || iface.ConstructedFrom.ToDisplayString() != "KafkaTyped.IHandle<TMessage>" || iface.TypeArguments[0].TypeKind != TypeKind.Error)
                {
                    continue;
                }

                ITypeSymbol message = iface.TypeArguments[0];
                string? problem = CacheOperationProblem(message, cache =>
                    SymbolEqualityComparer.Default.Equals(cache.ContainingAssembly, type.ContainingAssembly) && ReplicatedCacheParser.Parse(cache, cancellationToken) is not null);
                if (problem is not null)
                {
                    result.Add(DiagnosticInfo.Create(DiagnosticIds.UnknownCacheOperation, HandledTypeLocation(type, message, cancellationToken),
                        new[] { type.Name, message.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), problem }));
                }
            }

            return result;
        }

        /// <summary>
        /// Syntax only, so cheap enough to run on every edit: a class whose base list names <c>IHandle&lt;…&gt;</c> (also
        /// qualified). The candidates of <see cref="UnknownCacheOperationsOutsideGroups"/>.
        /// </summary>
        public static bool NamesHandlerInterface(SyntaxNode node)
        {
            if (node is not ClassDeclarationSyntax { BaseList: { } baseList })
            {
                return false;
            }

            foreach (BaseTypeSyntax entry in baseList.Types)
            {
                TypeSyntax name = entry.Type is QualifiedNameSyntax qualified ? qualified.Right : entry.Type;
                if (name is GenericNameSyntax { Identifier.ValueText: "IHandle", TypeArgumentList.Arguments.Count: 1 })
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// KT0208 on a handler class without <c>[ConsumerGroup]</c> (the analyzers add KT0209 there): the same CS0426 hides
        /// analyzer diagnostics from <c>dotnet build</c> as on a group. Classes with the attribute are
        /// <see cref="UnknownCacheOperations"/>'s; a partial class is reported from its first declaration naming
        /// <c>IHandle&lt;…&gt;</c> only, so each mistake is reported once.
        /// </summary>
        public static List<DiagnosticInfo> UnknownCacheOperationsOutsideGroups(INamedTypeSymbol type, SyntaxNode declaration, CancellationToken cancellationToken)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == KnownNames.ConsumerGroupAttribute)
                {
                    return new List<DiagnosticInfo>();
                }
            }

            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                SyntaxNode candidate = reference.GetSyntax(cancellationToken);
                if (NamesHandlerInterface(candidate))
                {
                    return candidate == declaration ? UnknownCacheOperations(type, cancellationToken) : new List<DiagnosticInfo>();
                }
            }

            return new List<DiagnosticInfo>();
        }

        /// <summary>
        /// Why the unresolved handled type <paramref name="message"/> is no generated cache operation, or null when it is
        /// not nested in a cache at all (the compiler's error says enough) or is an operation <paramref name="generated"/>
        /// says the cache gets.
        /// </summary>
        /// <param name="message">An error type: <c>PriceCache.Removed</c>, or <c>PriceCache.Added</c> before the generator ran.</param>
        /// <param name="generated">Whether the generator emits the operations of a <c>[ReplicatedCache]</c> class.</param>
        public static string? CacheOperationProblem(ITypeSymbol message, Func<INamedTypeSymbol, bool> generated)
        {
            if (message.ContainingSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } owner)
            {
                return null;
            }

            bool isOperationName = message is INamedTypeSymbol { Arity: 0 } && CacheOperationNames.IndexOf(message.Name) >= 0;
            if (CacheOperationNames.ContainingCache(message) is not null)
            {
                return !isOperationName
                    ? $"replicated cache '{owner.Name}' has the operations {owner.Name}.Added, {owner.Name}.Updated and {owner.Name}.Deleted"
                    : generated(owner) ? null : $"the generator skipped replicated cache '{owner.Name}' and emitted no operations for it; fix the cache's own diagnostics";
            }

            return isOperationName && DerivesFromReplicatedCache(owner)
                ? $"'{owner.Name}' is not marked [ReplicatedCache], so no operations are generated for it"
                : null;
        }

        /// <summary>The base-list entry <c>IHandle&lt;…&gt;</c> naming <paramref name="message"/>, else the type's identifier.</summary>
        public static Location HandledTypeLocation(INamedTypeSymbol type, ITypeSymbol message, CancellationToken cancellationToken)
        {
            Location? identifier = null;
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
                {
                    continue;
                }

                identifier ??= declaration.Identifier.GetLocation();
                if (declaration.BaseList is null)
                {
                    continue;
                }

                foreach (BaseTypeSyntax entry in declaration.BaseList.Types)
                {
                    if (entry.Type is GenericNameSyntax generic && generic.Identifier.ValueText == "IHandle" &&
                        generic.TypeArgumentList.Arguments.Count == 1 &&
                        generic.TypeArgumentList.Arguments[0].ToString() is { } argument &&
                        (argument == message.Name || argument.EndsWith("." + message.Name, StringComparison.Ordinal)))
                    {
                        return entry.GetLocation();
                    }
                }
            }

            return identifier ?? (type.Locations.IsDefaultOrEmpty ? Location.None : type.Locations[0]);
        }

        private static bool DerivesFromReplicatedCache(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                if (baseType.Arity == 2 && baseType.ConstructedFrom.ToDisplayString() == "KafkaTyped.Cache.ReplicatedCache<TKey, TValue>")
                {
                    return true;
                }
            }

            return false;
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
