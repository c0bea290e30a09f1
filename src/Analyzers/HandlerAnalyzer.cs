using System.Collections.Concurrent;
using System.Collections.Immutable;
using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Analyzers.Rules;
using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaTyped.Analyzers
{
    /// <summary>
    /// Checks consumer groups and their handlers: handler shape, handled types, group ids, one handler per message type
    /// and group, and blocking calls inside handlers.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HandlerAnalyzer : KafkaTypedAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.ContainingTypeMustBePartial,
            DiagnosticDescriptors.HandlerSignatureMismatch,
            DiagnosticDescriptors.AsyncVoidHandler,
            DiagnosticDescriptors.HandledTypeNotMessage,
            DiagnosticDescriptors.DuplicateHandler,
            DiagnosticDescriptors.InvalidConsumerGroupId,
            DiagnosticDescriptors.DuplicateConsumerGroupId,
            DiagnosticDescriptors.BlockingCallInHandler,
            DiagnosticDescriptors.HandlerWithoutConsumerGroup,
            DiagnosticDescriptors.ConsumerGroupWithoutHandlers);

        private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
        {
            var groups = new ConcurrentBag<GroupDeclaration>();
            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, known, groups), SymbolKind.NamedType);
            start.RegisterOperationBlockStartAction(blockContext => AnalyzeHandlerBody(blockContext, known));
            start.RegisterCompilationEndAction(endContext => ReportDuplicates(endContext, groups));
        }

        private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known, ConcurrentBag<GroupDeclaration> groups)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Class)
            {
                return;
            }

            var cancellationToken = context.CancellationToken;
            var handled = new List<ITypeSymbol>();
            foreach (var iface in type.AllInterfaces)
            {
                if (BatchHandling.IsBatchHandler(iface))
                {
                    // Batch handlers count as handlers here (KT0204, KT0209, KT0210); BatchHandlerAnalyzer checks their types.
                    handled.Add(iface.TypeArguments[0]);
                    continue;
                }

                if (known.HandledType(iface) is { } message)
                {
                    handled.Add(message);
                    // A generic base handler (IHandle<T> over a type parameter) is judged where T is closed.
                    if (message.TypeKind is not TypeKind.Error and not TypeKind.TypeParameter && !known.IsMessage(message) && !known.IsCacheOperation(message))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HandledTypeNotMessage, BaseListLocation(type, iface, context), type.Name, Display(message)));
                    }
                }
            }

            var group = KnownSymbols.Find(type, known.ConsumerGroupAttribute);
            if (group is null)
            {
                // A concrete handler class nobody dispatches to: it builds and runs, and silently handles nothing.
                if (handled.Count > 0 && !type.IsAbstract && !type.IsStatic && known.ConsumerGroupAttribute is not null &&
                    type.Locations.Any(l => l.IsInSource))
                {
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.GroupId, ConsumerGroupIdRules.Suggest(type.Name));
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.HandlerWithoutConsumerGroup, TypeDeclarations.IdentifierLocation(type, context.CancellationToken), properties, type.Name, Display(handled[0])));
                }

                return;
            }

            var identifier = TypeDeclarations.IdentifierLocation(type, cancellationToken);
            MessageTypeAnalyzer.ReportContainingTypes(context, type, identifier);

            var groupIdValid = false;
            if (TypeDeclarations.TryGetStringArgument(group, out var groupId))
            {
                var problem = ConsumerGroupIdRules.Validate(groupId);
                groupIdValid = problem is null;
                if (problem is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidConsumerGroupId, TypeDeclarations.ArgumentLocation(group, cancellationToken), groupId ?? string.Empty, problem));
                }
                else
                {
                    var location = group.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? identifier;
                    groups.Add(new GroupDeclaration(groupId!, type.Name, location, handled.Select(h => h.ToDisplayString()).Distinct().ToImmutableArray()));
                }
            }

            // An empty group is reported only when nothing else is wrong with the declaration (not partial, a containing
            // type not partial, an invalid id, or a handler-like method, KT0201/KT0202): one diagnostic for one mistake.
            var declarationProblem = !TypeDeclarations.IsPartial(type, cancellationToken) || !groupIdValid ||
                ContainingTypes(type).Any(c => !TypeDeclarations.IsPartial(c, cancellationToken));
            if (!AnalyzeHandlerMethods(context, type, known) && handled.Count == 0 && !declarationProblem
                && !type.GetMembers().OfType<IMethodSymbol>().Any(m => BatchHandlerAnalyzer.LooksLikeBatchHandler(m, known)))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.ConsumerGroupWithoutHandlers, identifier, groupId ?? string.Empty, type.Name));
            }
        }

        private static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
        {
            for (var container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                yield return container;
            }
        }

        /// <summary>Reports handler-like methods that no dispatcher calls; true when it found any (reported here or by the generator).</summary>
        private static bool AnalyzeHandlerMethods(SymbolAnalysisContext context, INamedTypeSymbol type, KnownSymbols known)
        {
            var found = false;
            // A declared IHandle<T> that nothing implements is a compiler error (CS0535/CS0738) that hides analyzer
            // diagnostics from the command-line build: the generator reports those handlers (CompilerMaskedRules).
            var unimplemented = CompilerMaskedRules.UnimplementedHandledTypes(type).Select(i => i.TypeArguments[0]).ToList();
            foreach (var member in type.GetMembers())
            {
                if (member is not IMethodSymbol method || !IsHandlerName(method) || method.IsImplicitlyDeclared || method.Locations.IsDefaultOrEmpty ||
                    IsInterfaceImplementation(method, type, known))
                {
                    continue;
                }

                // Only a method taking a message first is meant as a handler; Handle(Exception) helpers are not.
                var messageType = method.Parameters.Length > 0 ? method.Parameters[0].Type : null;
                if (messageType is null || (!known.IsMessage(messageType) && !known.IsCacheOperation(messageType)))
                {
                    continue;
                }

                found = true;
                if (unimplemented.Any(t => SymbolEqualityComparer.Default.Equals(t, messageType)))
                {
                    continue;
                }

                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(DiagnosticProperties.MessageType, messageType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
                var descriptor = method.IsAsync && method.ReturnsVoid ? DiagnosticDescriptors.AsyncVoidHandler : DiagnosticDescriptors.HandlerSignatureMismatch;
                var shown = Display(messageType);
                context.ReportDiagnostic(descriptor == DiagnosticDescriptors.AsyncVoidHandler
                    ? Diagnostic.Create(descriptor, method.Locations[0], properties, method.Name)
                    : Diagnostic.Create(descriptor, method.Locations[0], properties, method.Name, shown));
            }

            return found;
        }

        /// <summary>Methods named like the handler method, which the user meant as a handler.</summary>
        private static bool IsHandlerName(IMethodSymbol method) =>
            method.MethodKind == MethodKind.Ordinary && !method.IsStatic && (method.Name == "HandleAsync" || method.Name == "Handle");

        private static bool IsInterfaceImplementation(IMethodSymbol method, INamedTypeSymbol type, KnownSymbols known)
        {
            foreach (var iface in type.AllInterfaces)
            {
                if (known.HandledType(iface) is null && !BatchHandling.IsBatchHandler(iface))
                {
                    continue;
                }

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

        /// <summary>True when the method is the body of a handler: an <c>IHandle&lt;T&gt;.HandleAsync</c> implementation or a handler-named method of a consumer group.</summary>
        private static bool IsHandlerBody(IMethodSymbol method, KnownSymbols known)
        {
            if (!IsHandlerName(method) || method.ContainingType is not { TypeKind: TypeKind.Class } type)
            {
                return method.MethodKind == MethodKind.ExplicitInterfaceImplementation && method.ContainingType is { } owner && IsInterfaceImplementation(method, owner, known);
            }

            return KnownSymbols.Find(type, known.ConsumerGroupAttribute) is not null || IsInterfaceImplementation(method, type, known);
        }

        private static void AnalyzeHandlerBody(OperationBlockStartAnalysisContext context, KnownSymbols known)
        {
            if (context.OwningSymbol is not IMethodSymbol method || !IsHandlerBody(method, known))
            {
                return;
            }

            context.RegisterOperationAction(
                operationContext =>
                {
                    var invocation = (IInvocationOperation)operationContext.Operation;
                    var target = invocation.TargetMethod;
                    if (IsBlocking(target, known))
                    {
                        operationContext.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.BlockingCallInHandler, invocation.Syntax.GetLocation(), target.ContainingType.Name + "." + target.Name, method.Name));
                    }
                },
                OperationKind.Invocation);

            context.RegisterOperationAction(
                operationContext =>
                {
                    var reference = (IPropertyReferenceOperation)operationContext.Operation;
                    var property = reference.Property;
                    if (property.Name == "Result" && property.ContainingType is { } owner &&
                        (Is(owner.OriginalDefinition, known.TaskOfT) || Is(owner.OriginalDefinition, known.ValueTaskOfT)))
                    {
                        operationContext.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.BlockingCallInHandler, reference.Syntax.GetLocation(), owner.Name + ".Result", method.Name));
                    }
                },
                OperationKind.PropertyReference);
        }

        private static bool IsBlocking(IMethodSymbol target, KnownSymbols known)
        {
            var owner = target.ContainingType;
            if (owner is null)
            {
                return false;
            }

            switch (target.Name)
            {
                case "Wait":
                case "WaitAll":
                case "WaitAny":
                    return Is(owner.OriginalDefinition, known.Task) || Is(owner.OriginalDefinition, known.TaskOfT);
                case "Sleep":
                    return Is(owner, known.Thread);
                case "GetResult":
                    // TaskAwaiter, ValueTaskAwaiter and their configured forms: task.GetAwaiter().GetResult().
                    return owner.Name.EndsWith("Awaiter", System.StringComparison.Ordinal) &&
                        owner.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices";
                default:
                    return false;
            }
        }

        private static void ReportDuplicates(CompilationAnalysisContext context, ConcurrentBag<GroupDeclaration> groups)
        {
            var ordered = groups.OrderBy(g => g.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(g => g.Location.SourceSpan.Start).ToList();
            var firstById = new Dictionary<string, GroupDeclaration>(System.StringComparer.Ordinal);
            var handlerById = new Dictionary<string, GroupDeclaration>(System.StringComparer.Ordinal);
            foreach (var group in ordered)
            {
                // One diagnostic for one mistake: a second class in a group that handles a type the group already handles
                // gets KT0204 (the sharper statement); a second class without overlap gets KT0206.
                var normalized = ConsumerGroupIdRules.Normalize(group.Id);
                var duplicateHandler = false;
                foreach (var message in group.HandledTypes)
                {
                    // Ids differing in case are two Kafka groups: that typo is KT0206's, not a shared handler.
                    var key = group.Id + "\0" + message;
                    if (handlerById.TryGetValue(key, out var other))
                    {
                        duplicateHandler = true;
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateHandler, group.Location, new[] { other.Location }, group.Id, message, other.TypeName));
                    }
                    else
                    {
                        handlerById.Add(key, group);
                    }
                }

                if (firstById.TryGetValue(normalized, out var first))
                {
                    if (!duplicateHandler)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateConsumerGroupId, group.Location, new[] { first.Location }, group.Id, first.TypeName));
                    }
                }
                else
                {
                    firstById.Add(normalized, group);
                }
            }
        }

        private static Location BaseListLocation(INamedTypeSymbol type, INamedTypeSymbol iface, SymbolAnalysisContext context) =>
            CompilerMaskedRules.HandledTypeLocation(type, iface.TypeArguments[0], context.CancellationToken);

        private static bool Is(ITypeSymbol type, INamedTypeSymbol? known) =>
            known is not null && SymbolEqualityComparer.Default.Equals(type, known);

        private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

        private sealed class GroupDeclaration
        {
            public GroupDeclaration(string id, string typeName, Location location, ImmutableArray<string> handledTypes)
            {
                Id = id;
                TypeName = typeName;
                Location = location;
                HandledTypes = handledTypes;
            }

            public string Id { get; }
            public string TypeName { get; }
            public Location Location { get; }
            public ImmutableArray<string> HandledTypes { get; }
        }
    }
}
