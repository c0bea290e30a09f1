using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>
    /// Forwards diagnostics to the analysis context and counts them, so an analyzer knows whether its specific rules
    /// already explained a declaration before it falls back to the generator's own reasons (KT0019, KT0112).
    /// </summary>
    internal sealed class CountingReporter
    {
        private readonly SymbolAnalysisContext _context;

        public CountingReporter(SymbolAnalysisContext context) => _context = context;

        public int Count { get; private set; }

        public CancellationToken CancellationToken => _context.CancellationToken;

        /// <summary>Counts a mistake another reporter (the generator) explains, so the fallback stays quiet.</summary>
        public void Explained() => Count++;

        public void ReportDiagnostic(Diagnostic diagnostic)
        {
            Count++;
            _context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>
    /// What the generator itself decides about a declaration (src/Shared/Model, the parser the generator runs): the
    /// analyzers ask it directly, so a declaration the generator skips is never silent.
    /// </summary>
    internal static class GeneratorVerdict
    {
        /// <summary>
        /// The generator's reasons for skipping a <c>[KafkaMessage]</c> type, without the ones about its message set
        /// (MessageSetAnalyzer reports those on the set or the membership); empty when the generator accepts it.
        /// </summary>
        public static List<ModelError> MessageReasons(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var errors = new List<ModelError>();
            try
            {
                if (MessageModelParser.Parse(type, cancellationToken, errors) is not null)
                {
                    return new List<ModelError>();
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return Crashed(type, exception);
            }

            errors.RemoveAll(e => e.Member == type.Name && e.Reason.Contains("message set"));
            return errors;
        }

        /// <summary>The generator's reasons for skipping a <c>[Topic]</c> interface; empty when it accepts it.</summary>
        public static List<ModelError> SetReasons(INamedTypeSymbol iface, CancellationToken cancellationToken)
        {
            var errors = new List<ModelError>();
            try
            {
                return MessageSetParser.Parse(iface, cancellationToken, errors) is null ? errors : new List<ModelError>();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return Crashed(iface, exception);
            }
        }

        /// <summary>
        /// The generator's verdict on one numbered member (<see cref="FieldParser.CheckField"/>): true when it maps.
        /// A parser failure counts as a refusal, as the generator then emits nothing.
        /// </summary>
        public static bool AcceptsField(INamedTypeSymbol owner, IPropertySymbol property, AttributeData field)
        {
            try
            {
                return FieldParser.CheckField(owner, property, field).Count == 0;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return false;
            }
        }

        /// <summary>
        /// The generator guards its parser and emits nothing when it throws (half-typed code); the analyzers say so
        /// instead of failing with AD0001.
        /// </summary>
        private static List<ModelError> Crashed(INamedTypeSymbol type, Exception exception) =>
            new List<ModelError> { new ModelError(type.Name, "the generator's parser failed on it (" + exception.GetType().Name + ": " + exception.Message + ")") };

        /// <summary>"'Member': reason; ..." for the diagnostic message.</summary>
        public static string Describe(INamedTypeSymbol type, List<ModelError> errors)
        {
            var text = new System.Text.StringBuilder();
            foreach (var error in errors)
            {
                if (text.Length > 0)
                {
                    text.Append("; ");
                }

                if (error.Member != type.Name)
                {
                    text.Append('\'').Append(error.Member).Append("': ");
                }

                text.Append(error.Reason);
            }

            return text.ToString();
        }

        /// <summary>
        /// True when the declaration uses a type or attribute the compiler cannot resolve: the compiler's own error
        /// explains it, and the generator's reason ("no Protobuf mapping") would only repeat it.
        /// </summary>
        public static bool HasUnresolvedSymbols(INamedTypeSymbol type)
        {
            if (HasErrorAttribute(type))
            {
                return true;
            }

            foreach (var member in type.GetMembers())
            {
                if (member is IPropertySymbol property && (ContainsError(property.Type) || HasErrorAttribute(property)))
                {
                    return true;
                }

                if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
                {
                    foreach (var parameter in constructor.Parameters)
                    {
                        if (ContainsError(parameter.Type) || HasErrorAttribute(parameter))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        private static bool HasErrorAttribute(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass is null || attribute.AttributeClass.TypeKind == TypeKind.Error)
                {
                    return true;
                }

                foreach (var argument in attribute.ConstructorArguments)
                {
                    if (argument.Kind == TypedConstantKind.Error)
                    {
                        return true;
                    }
                }

                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Value.Kind == TypedConstantKind.Error)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool ContainsError(ITypeSymbol type)
        {
            switch (type)
            {
                case IErrorTypeSymbol:
                    return true;
                case IArrayTypeSymbol array:
                    return ContainsError(array.ElementType);
                case INamedTypeSymbol named:
                    foreach (var argument in named.TypeArguments)
                    {
                        if (ContainsError(argument))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }
    }
}
