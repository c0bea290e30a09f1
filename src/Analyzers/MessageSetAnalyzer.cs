using System.Collections.Concurrent;
using System.Collections.Immutable;
using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Analyzers.Rules;
using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaTyped.Analyzers
{
    /// <summary>Checks message sets (<c>[Topic]</c> interfaces), their members and replicated caches.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MessageSetAnalyzer : KafkaTypedAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.ContainingTypeMustBePartial,
            DiagnosticDescriptors.InvalidTopicName,
            DiagnosticDescriptors.TopicDeclaredTwice,
            DiagnosticDescriptors.InvalidPartitions,
            DiagnosticDescriptors.InvalidReplicationFactor,
            DiagnosticDescriptors.MessageInSeveralSets,
            DiagnosticDescriptors.SetMemberNotMessage,
            DiagnosticDescriptors.CacheKeyWithoutEncoding,
            DiagnosticDescriptors.CacheMemberClash,
            DiagnosticDescriptors.SetPackageMismatch,
            DiagnosticDescriptors.SetInAnotherAssembly,
            DiagnosticDescriptors.SetMustBeTopLevel,
            DiagnosticDescriptors.SetNotGenerated,
            DiagnosticDescriptors.IdempotenceNeedsAcksAll,
            DiagnosticDescriptors.UndefinedProducerOption);

        private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
        {
            var topics = new ConcurrentBag<TopicDeclaration>();
            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, known, topics), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(endContext => ReportConflictingTopics(endContext, topics));
        }

        private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known, ConcurrentBag<TopicDeclaration> topics)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (KnownSymbols.Find(type, known.TopicAttribute) is { } topic)
            {
                AnalyzeSet(context, type, topic, topics);
            }

            if (KnownSymbols.Find(type, known.ReplicatedCacheAttribute) is { } cache)
            {
                AnalyzeCache(context, type, cache, known, topics);
            }

            if (type.TypeKind is TypeKind.Class or TypeKind.Struct)
            {
                AnalyzeMembership(context, type, known);
            }
        }

        private static void AnalyzeSet(SymbolAnalysisContext symbolContext, INamedTypeSymbol type, AttributeData topic, ConcurrentBag<TopicDeclaration> topics)
        {
            var context = new CountingReporter(symbolContext);
            var cancellationToken = context.CancellationToken;
            // KT0001 is the generator's (CompilerMaskedRules): it is reported even when follow-on compiler errors stop analyzers.
            if (!TypeDeclarations.IsPartial(type, cancellationToken))
            {
                context.Explained();
            }

            var identifier = TypeDeclarations.IdentifierLocation(type, cancellationToken);
            if (type.ContainingType is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SetMustBeTopLevel, identifier, type.Name, "it is nested in '" + type.ContainingType.Name + "'"));
            }
            else if (type.IsGenericType)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SetMustBeTopLevel, identifier, type.Name, "it is generic"));
            }

            AnalyzeTopic(context, type, topic, topics, "ReplicationFactor", defaultPartitions: 6);
            ProducerOptionRules.Analyze(context, type, topic);
            if (context.Count == 0 && !GeneratorVerdict.HasUnresolvedSymbols(type))
            {
                // The generator decides with its own parser; whatever it rejects that no rule above explained is reported here.
                var reasons = GeneratorVerdict.SetReasons(type, cancellationToken);
                if (reasons.Count > 0)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SetNotGenerated, identifier, type.Name, GeneratorVerdict.Describe(type, reasons)));
                }
            }
        }

        private static void AnalyzeCache(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData cache, KnownSymbols known, ConcurrentBag<TopicDeclaration> topics)
        {
            var cancellationToken = context.CancellationToken;
            var identifier = TypeDeclarations.IdentifierLocation(type, cancellationToken);
            MessageTypeAnalyzer.ReportContainingTypes(context, type, identifier);
            AnalyzeTopic(new CountingReporter(context), type, cache, topics, replicationFactorName: null, defaultPartitions: 12);

            foreach (var generated in CacheOperationNames.GeneratedMembers)
            {
                foreach (var member in type.GetMembers(generated))
                {
                    if (SymbolFacts.IsUserDeclared(member))
                    {
                        var location = member.Locations.FirstOrDefault(l => l.IsInSource && l.SourceTree is { } tree && !TypeDeclarations.IsGenerated(tree)) ?? identifier;
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CacheMemberClash, location, type.Name, generated));
                    }
                }
            }

            // The cache base class may not exist yet in an older KafkaTyped; then there is nothing to compare against.
            for (var baseType = type.BaseType; baseType is not null && known.ReplicatedCacheBase is not null; baseType = baseType.BaseType)
            {
                if (!SymbolEqualityComparer.Default.Equals(baseType.OriginalDefinition, known.ReplicatedCacheBase) || baseType.TypeArguments.Length != 2)
                {
                    continue;
                }

                var key = baseType.TypeArguments[0];
                var value = baseType.TypeArguments[1];
                if (!KeyEncodingRules.HasKeyEncoding(key))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CacheKeyWithoutEncoding, identifier, type.Name, Display(key)));
                }

                // A value that is no message violates the base class's constraint (CS0311): KT0107 is the generator's.

                break;
            }
        }

        private static void AnalyzeTopic(CountingReporter context, INamedTypeSymbol type, AttributeData attribute, ConcurrentBag<TopicDeclaration> topics, string? replicationFactorName, int defaultPartitions)
        {
            var cancellationToken = context.CancellationToken;
            if (!TypeDeclarations.TryGetStringArgument(attribute, out var name))
            {
                return;
            }

            var nameProblem = TopicNameRules.Validate(name);
            if (nameProblem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidTopicName, TypeDeclarations.ArgumentLocation(attribute, cancellationToken), name ?? string.Empty, nameProblem));
            }

            var partitions = TypeDeclarations.NamedArgument<int>(attribute, "Partitions");
            if (partitions is < 1)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidPartitions, TypeDeclarations.ArgumentLocation(attribute, cancellationToken, name: "Partitions"), name, partitions.Value));
            }

            short? replication = null;
            if (replicationFactorName is not null)
            {
                replication = TypeDeclarations.NamedArgument<short>(attribute, replicationFactorName);
                if (replication is { } factor && factor < 1 && factor != -1)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.InvalidReplicationFactor, TypeDeclarations.ArgumentLocation(attribute, cancellationToken, name: replicationFactorName), name, factor));
                }
            }

            if (nameProblem is null && name is not null)
            {
                var location = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? TypeDeclarations.IdentifierLocation(type, cancellationToken);
                // Defaults as in TopicAttribute (6) and ReplicatedCacheAttribute (12); a cache has the broker-default replication.
                topics.Add(new TopicDeclaration(name, partitions ?? defaultPartitions, replication ?? -1, type.Name, location));
            }
        }

        private static void AnalyzeMembership(SymbolAnalysisContext context, INamedTypeSymbol type, KnownSymbols known)
        {
            if (known.TopicAttribute is null)
            {
                return;
            }

            INamedTypeSymbol? firstSet = null;
            foreach (var iface in type.AllInterfaces)
            {
                if (KnownSymbols.Find(iface, known.TopicAttribute) is null)
                {
                    continue;
                }

                var identifier = TypeDeclarations.IdentifierLocation(type, context.CancellationToken);
                if (firstSet is null)
                {
                    firstSet = iface;
                    if (!known.IsMessage(type))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SetMemberNotMessage, identifier, type.Name, iface.Name));
                    }
                    else if (!SymbolEqualityComparer.Default.Equals(iface.ContainingAssembly, type.ContainingAssembly))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SetInAnotherAssembly, identifier, type.Name, iface.Name, iface.ContainingAssembly?.Name ?? "?"));
                    }
                    else if (ProtoIdentity.PackageOf(type) is var package && ProtoIdentity.PackageOf(iface) is var setPackage && package != setPackage)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SetPackageMismatch, identifier, type.Name, package, iface.Name, setPackage));
                    }
                }
                else
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MessageInSeveralSets, identifier, type.Name, firstSet.Name, iface.Name));
                }
            }
        }

        private static void ReportConflictingTopics(CompilationAnalysisContext context, ConcurrentBag<TopicDeclaration> topics)
        {
            // Sorted so the first declaration in source order is the reference and the report is deterministic.
            foreach (var group in topics.GroupBy(t => t.Name, System.StringComparer.Ordinal))
            {
                var ordered = group.OrderBy(t => t.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(t => t.Location.SourceSpan.Start).ToList();
                var first = ordered[0];
                for (var i = 1; i < ordered.Count; i++)
                {
                    var difference = first.Difference(ordered[i]);
                    if (difference is not null)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.TopicDeclaredTwice, ordered[i].Location, new[] { first.Location }, ordered[i].Name, first.DeclaredBy, difference));
                    }
                }
            }
        }

        private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

        private sealed class TopicDeclaration(string name, int partitions, short replicationFactor, string declaredBy, Location location)
        {
            public string Name { get; } = name;
            public int Partitions { get; } = partitions;
            public short ReplicationFactor { get; } = replicationFactor;
            public string DeclaredBy { get; } = declaredBy;
            public Location Location { get; } = location;

            /// <summary>What differs, or null when both declarations agree.</summary>
            public string? Difference(TopicDeclaration other)
            {
                var parts = new List<string>();
                if (Partitions != other.Partitions)
                {
                    parts.Add("partitions " + Partitions + " vs " + other.Partitions);
                }

                if (ReplicationFactor != other.ReplicationFactor)
                {
                    parts.Add("replication factor " + ReplicationFactor + " vs " + other.ReplicationFactor);
                }

                return parts.Count == 0 ? null : string.Join(", ", parts);
            }
        }
    }
}
