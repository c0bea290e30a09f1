using System.Collections.Immutable;
using KafkaTyped.Generators.Emit;
using KafkaTyped.Generators.Model;
using KafkaTyped.Roslyn;
using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace KafkaTyped.Generators
{
    /// <summary>
    /// The KafkaTyped source generator: Protobuf codecs and schemas for <c>[KafkaMessage]</c> records, producers,
    /// dispatch loops and caches. Stays silent on invalid input; KafkaTyped.Analyzers reports it.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class KafkaTypedGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            // The transform turns each record into an equatable model right away (null when invalid), so later steps
            // compare plain data and an unrelated edit leaves them Cached or Unchanged.
            IncrementalValuesProvider<MessageModel> messages = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.KafkaMessageAttribute,
                    static (node, _) => node is RecordDeclarationSyntax,
                    static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? Guard(() => MessageModelParser.Parse(type, ct)) : null)
                .WithTrackingName(TrackingNames.MessageModel)
                .Where(static m => m is not null)
                .Select(static (m, _) => m!)
                .WithTrackingName(TrackingNames.ValidMessages);

            IncrementalValuesProvider<SetModel> sets = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.TopicAttribute,
                    static (node, _) => node is InterfaceDeclarationSyntax,
                    static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? Guard(() => MessageSetParser.Parse(type, ct)) : null)
                .WithTrackingName(TrackingNames.SetModel)
                .Where(static s => s is not null)
                .Select(static (s, _) => s!)
                .WithTrackingName(TrackingNames.ValidSets);

            // One file per message: its codec, plus its own .proto holder when it is a value object.
            context.RegisterSourceOutput(messages, static (spc, m) =>
                spc.AddSource(MessageEmitter.HintName(m), SourceText.From(MessageEmitter.Emit(m), System.Text.Encoding.UTF8)));

            // A set needs its members, which only the messages know (they name the interface they implement): the
            // collected models are reduced to this set's members at once, so other sets' edits leave it unchanged.
            IncrementalValueProvider<ImmutableArray<MessageModel>> all = messages.Collect().WithTrackingName(TrackingNames.AllMessages);
            IncrementalValuesProvider<SetFileModel> setFiles = sets
                .Combine(all)
                .Select(static (pair, _) => SetFileModel.Build(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.SetFile);

            context.RegisterSourceOutput(setFiles, static (spc, s) =>
                spc.AddSource(FileEmitter.SetHintName(s.Set), SourceText.From(FileEmitter.EmitSet(s), System.Text.Encoding.UTF8)));

            // One typed producer per set, reduced to names and key expressions so codec-only edits leave it unchanged.
            IncrementalValuesProvider<ProducerModel> producers = setFiles
                .Where(static s => s.Members.Count > 0)
                .Select(static (s, _) => ProducerModel.Build(s.Set, s.Members))
                .WithTrackingName(TrackingNames.Producer);
            context.RegisterSourceOutput(producers, static (spc, p) =>
                spc.AddSource(WiringCode.HintName(p.Namespace, p.ClassName), SourceText.From(ProducerEmitter.EmitProducer(p), System.Text.Encoding.UTF8)));

            // One dispatcher per [ConsumerGroup] class; the model names the handled types and their index constants, so
            // it needs no other pipeline (the set classes' constants resolve at compile time).
            IncrementalValuesProvider<ConsumerGroupModel> groups = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.ConsumerGroupAttribute,
                    static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? Guard(() => ConsumerGroupParser.Parse(type, ct)) : null)
                .WithTrackingName(TrackingNames.ConsumerGroupModel)
                .Where(static g => g is not null)
                .Select(static (g, _) => g!)
                .WithTrackingName(TrackingNames.ValidConsumerGroups);
            // Dispatchers and AddKafkaTyped call Microsoft.Extensions.DependencyInjection/Configuration: emitted only when the
            // compilation references them (every KafkaTyped application does; a bare test compilation may not).
            IncrementalValueProvider<CompilationFacts> facts = context.CompilationProvider
                .Select(static (c, _) => new CompilationFacts(
                    c.AssemblyName ?? string.Empty,
                    c.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions") is not null
                    && c.GetTypeByMetadataName("Microsoft.Extensions.Configuration.IConfiguration") is not null
                    && c.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILogger`1") is not null))
                .WithTrackingName(TrackingNames.CompilationFacts);
            context.RegisterSourceOutput(groups.Combine(facts), static (spc, pair) =>
            {
                if (pair.Right.HasHosting)
                {
                    spc.AddSource(WiringCode.HintName(pair.Left.Namespace, pair.Left.DispatcherName), SourceText.From(DispatcherEmitter.EmitDispatcher(pair.Left), System.Text.Encoding.UTF8));
                }
            });

            // One partial per [ReplicatedCache] class: constructor and topic constants.
            IncrementalValuesProvider<CacheModel> caches = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.ReplicatedCacheAttribute,
                    static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? Guard(() => ReplicatedCacheParser.Parse(type, ct)) : null)
                .WithTrackingName(TrackingNames.CacheModel)
                .Where(static c => c is not null)
                .Select(static (c, _) => c!)
                .WithTrackingName(TrackingNames.ValidCaches);
            context.RegisterSourceOutput(caches, static (spc, c) =>
                spc.AddSource(WiringCode.HintName(c.Namespace, c.ClassName), SourceText.From(CacheClassEmitter.EmitCache(c), System.Text.Encoding.UTF8)));

            // Producer options a [Topic] attribute declares (acks, partitioner, idempotence): registered by AddKafkaTyped so
            // that start-up validation and the producers see them; null (nothing registered) when none is set or invalid.
            IncrementalValuesProvider<TopicProducerModel> topicOptions = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.TopicAttribute,
                    static (node, _) => node is InterfaceDeclarationSyntax,
                    static (ctx, _) => ctx.TargetSymbol is INamedTypeSymbol type ? Guard(() => TopicProducerOptionsParser.Parse(type)) : null)
                .WithTrackingName(TrackingNames.TopicProducerOptions)
                .Where(static t => t is not null)
                .Select(static (t, _) => t!);

            // The assembly's AddKafkaTyped: names only, sorted and deduplicated; the compilation is reduced to its name.
            IncrementalValueProvider<WiringModel?> wiring = producers.Collect()
                .Combine(groups.Collect())
                .Combine(caches.Collect())
                .Combine(topicOptions.Collect())
                .Combine(facts)
                .Select(static (x, _) => x.Right.HasHosting ? WiringModel.Build(x.Right.AssemblyName, x.Left.Left.Left.Left, x.Left.Left.Left.Right, x.Left.Left.Right, x.Left.Right) : null)
                .WithTrackingName(TrackingNames.Wiring);
            context.RegisterSourceOutput(wiring, static (spc, w) =>
            {
                if (w is not null && !w.IsEmpty)
                {
                    spc.AddSource(RegistrationEmitter.RegistrationHintName(w), SourceText.From(RegistrationEmitter.EmitRegistration(w), System.Text.Encoding.UTF8));
                }
            });

            // One registry of the assembly's files and sets (caches' operation sets included), names only, sorted and deduplicated.
            IncrementalValueProvider<RegistryModel> registry = all
                .Combine(sets.Collect())
                .Combine(caches.Collect())
                .Select(static (x, _) => RegistryModel.Build(x.Left.Left, x.Left.Right, x.Right))
                .WithTrackingName(TrackingNames.Registry);
            context.RegisterSourceOutput(registry, static (spc, r) =>
            {
                if (r.Files.Count > 0)
                {
                    spc.AddSource(RegistryEmitter.HintName, SourceText.From(RegistryEmitter.Emit(r), System.Text.Encoding.UTF8));
                }
            });

            // A second pipeline per attribute, for diagnostics only (the models above stay free of them): the mistakes the
            // compiler answers with declaration errors, which stop the command-line compiler from reporting analyzer
            // diagnostics. The analyzers leave exactly these to the generator, so each is reported once.
            ReportDiagnostics(context, KnownNames.KafkaMessageAttribute, static node => node is RecordDeclarationSyntax, static (type, ct) =>
                Infos(CompilerMaskedRules.NotPartial(type, "KafkaMessage", ct)));
            ReportDiagnostics(context, KnownNames.TopicAttribute, static node => node is InterfaceDeclarationSyntax, static (type, ct) =>
                Infos(CompilerMaskedRules.NotPartial(type, "Topic", ct)));
            ReportDiagnostics(context, KnownNames.ConsumerGroupAttribute, static node => node is ClassDeclarationSyntax, static (type, ct) =>
            {
                List<DiagnosticInfo> infos = CompilerMaskedRules.UnimplementedHandlers(type, ct);
                infos.AddRange(CompilerMaskedRules.UnknownCacheOperations(type, ct));
                if (CompilerMaskedRules.NotPartial(type, "ConsumerGroup", ct) is { } notPartial)
                {
                    infos.Insert(0, notPartial);
                }

                return new EquatableArray<DiagnosticInfo>(infos);
            });
            ReportDiagnostics(context, KnownNames.ReplicatedCacheAttribute, static node => node is ClassDeclarationSyntax, static (type, ct) =>
                Infos(CompilerMaskedRules.NotPartial(type, "ReplicatedCache", ct), CompilerMaskedRules.CacheValueNotMessage(type, ct)));

            // KT0208 on a handler class without [ConsumerGroup]: no attribute to find it by, so a syntactic look at base
            // lists. CS0426 for the missing operation type hides the analyzers from dotnet build here as on a group.
            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> ungroupedHandlers = context.SyntaxProvider
                .CreateSyntaxProvider(
                    static (node, _) => CompilerMaskedRules.NamesHandlerInterface(node),
                    static (ctx, ct) => ctx.SemanticModel.GetDeclaredSymbol(ctx.Node, ct) is INamedTypeSymbol type
                        ? Guard(() => new Box(new EquatableArray<DiagnosticInfo>(CompilerMaskedRules.UnknownCacheOperationsOutsideGroups(type, ctx.Node, ct))))?.Value ?? EquatableArray<DiagnosticInfo>.Empty
                        : EquatableArray<DiagnosticInfo>.Empty)
                .WithTrackingName(TrackingNames.Diagnostics);
            context.RegisterSourceOutput(ungroupedHandlers, static (spc, infos) => Report(spc, infos));
        }

        private static void ReportDiagnostics(
            IncrementalGeneratorInitializationContext context, string attribute, Func<SyntaxNode, bool> predicate,
            Func<INamedTypeSymbol, CancellationToken, EquatableArray<DiagnosticInfo>> rules)
        {
            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attribute,
                    (node, _) => predicate(node),
                    (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? Guard(() => new Box(rules(type, ct)))?.Value ?? EquatableArray<DiagnosticInfo>.Empty : EquatableArray<DiagnosticInfo>.Empty)
                .WithTrackingName(TrackingNames.Diagnostics);
            context.RegisterSourceOutput(diagnostics, static (spc, infos) => Report(spc, infos));
        }

        private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> infos)
        {
            foreach (DiagnosticInfo info in infos)
            {
                context.ReportDiagnostic(DiagnosticDescriptors.Create(info));
            }
        }

        private static EquatableArray<DiagnosticInfo> Infos(params DiagnosticInfo?[] infos)
        {
            var list = new List<DiagnosticInfo>();
            foreach (DiagnosticInfo? info in infos)
            {
                if (info is not null)
                {
                    list.Add(info);
                }
            }

            return list.Count == 0 ? EquatableArray<DiagnosticInfo>.Empty : new EquatableArray<DiagnosticInfo>(list);
        }

        /// <summary>A reference wrapper so <see cref="Guard{T}"/> also guards the struct-valued diagnostic rules.</summary>
        private sealed class Box
        {
            public Box(EquatableArray<DiagnosticInfo> value) => Value = value;

            public EquatableArray<DiagnosticInfo> Value { get; }
        }

        /// <summary>
        /// The generator must never throw (a throwing generator drops all of its output and shows CS8784/CS8785): a parse
        /// failure on half-typed code means "no model", which the analyzers explain. Cancellation still propagates.
        /// </summary>
        private static T? Guard<T>(System.Func<T?> parse)
            where T : class
        {
            try
            {
                return parse();
            }
            catch (System.Exception e) when (e is not System.OperationCanceledException)
            {
                return null;
            }
        }
    }
}
