using KafkaTyped.Analyzers.Rules;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaTyped.Analyzers
{
    /// <summary>
    /// The registration every KafkaTyped analyzer shares: generated code is not analyzed, callbacks run concurrently, and
    /// the marker symbols are resolved once per compilation. A compilation that does not reference KafkaTyped gets no
    /// callbacks at all.
    /// </summary>
    public abstract class KafkaTypedAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public sealed override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (KnownSymbols.Create(start.Compilation) is { } known)
                {
                    OnCompilationStart(start, known);
                }
            });
        }

        /// <summary>Registers the analyzer's actions for one compilation that references KafkaTyped.</summary>
        private protected abstract void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known);
    }
}
