using System.Globalization;
using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>
    /// The producer options of a <c>[Topic]</c> attribute: defined <c>TopicAcks</c>/<c>TopicPartitioner</c> values
    /// (KT0115) and no idempotence without <c>acks=all</c> (KT0114). What configuration changes is checked at start-up.
    /// </summary>
    internal static class ProducerOptionRules
    {
        private static readonly string[] AcksNames = { "Default", "None", "Leader", "All" };

        public static void Analyze(CountingReporter context, INamedTypeSymbol type, AttributeData attribute)
        {
            if (TopicProducerOptionsParser.Read(attribute) is not { } options)
            {
                return;
            }

            bool defined = true;
            if (options.Acks < 0 || options.Acks > TopicProducerModel.MaxAcks)
            {
                defined = false;
                Report(context, DiagnosticDescriptors.UndefinedProducerOption, attribute, TopicProducerOptionsParser.AcksArgument,
                    type.Name, TopicProducerOptionsParser.AcksArgument, options.Acks.ToString(CultureInfo.InvariantCulture), "TopicAcks", "TopicAcks.None, Leader or All");
            }

            if (options.Partitioner < 0 || options.Partitioner > TopicProducerModel.MaxPartitioner)
            {
                defined = false;
                Report(context, DiagnosticDescriptors.UndefinedProducerOption, attribute, TopicProducerOptionsParser.PartitionerArgument,
                    type.Name, TopicProducerOptionsParser.PartitionerArgument, options.Partitioner.ToString(CultureInfo.InvariantCulture), "TopicPartitioner", "TopicPartitioner.Murmur2, ConsistentRandom or Random");
            }

            if (defined && options.IdempotenceConflicts)
            {
                Report(context, DiagnosticDescriptors.IdempotenceNeedsAcksAll, attribute, TopicProducerOptionsParser.IdempotenceArgument,
                    type.Name, AcksNames[options.Acks], options.Topic);
            }
        }

        /// <summary>Reports at the named argument's value (<c>Acks = <b>...</b></c>), or at the attribute.</summary>
        private static void Report(CountingReporter context, DiagnosticDescriptor descriptor, AttributeData attribute, string argument, params object[] args)
        {
            Location location = Location.None;
            if (attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is AttributeSyntax syntax)
            {
                AttributeArgumentSyntax? named = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == argument);
                location = (named?.Expression ?? (SyntaxNode)syntax).GetLocation();
            }

            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, args));
        }
    }
}
