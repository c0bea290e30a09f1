using System.Collections.Concurrent;
using System.Collections.Immutable;
using KafkaTyped.Analyzers.Rules;
using KafkaTyped.Roslyn.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaTyped.Analyzers
{
    /// <summary>
    /// KT0401: an application that declares KafkaTyped message sets, consumer groups or caches but never calls the
    /// generated <c>AddKafkaTyped</c>. Without the call the host starts, handles nothing and logs nothing, and an injected
    /// producer fails with the container's plain "Unable to resolve service" error: nothing at run time points back here.
    /// </summary>
    /// <remarks>
    /// Only executables are checked: the generated method is internal, so a library calls it from a public method of its
    /// own, or its tests call it through InternalsVisibleTo — neither can be seen from the library's compilation alone.
    /// Any call to or method reference of a method named <c>AddKafkaTyped</c> counts (the generated one, or a user's own
    /// wrapper of that name), and so does <c>AddKafkaTypedCore</c> (hand-written wiring). Test projects are executables
    /// too (the test SDK gives them an entry point) but declare messages to test them, not to host them: they are skipped.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RegistrationAnalyzer : KafkaTypedAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.KafkaTypedNeverRegistered);

        private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
        {
            var compilation = start.Compilation;
            if (compilation.Options.OutputKind is not (OutputKind.ConsoleApplication or OutputKind.WindowsApplication)
                || compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IServiceCollection") is null
                || IsTestProject(compilation))
            {
                return;
            }

            var declarations = new ConcurrentBag<INamedTypeSymbol>();
            var registered = 0;
            start.RegisterSymbolAction(symbolContext =>
            {
                var type = (INamedTypeSymbol)symbolContext.Symbol;
                if (KnownSymbols.Find(type, known.TopicAttribute) is not null
                    || KnownSymbols.Find(type, known.ConsumerGroupAttribute) is not null
                    || KnownSymbols.Find(type, known.ReplicatedCacheAttribute) is not null)
                {
                    declarations.Add(type);
                }
            }, SymbolKind.NamedType);
            start.RegisterOperationAction(operationContext =>
            {
                var method = operationContext.Operation switch
                {
                    IInvocationOperation invocation => invocation.TargetMethod,
                    IMethodReferenceOperation reference => reference.Method,
                    _ => null,
                };
                if (method is { Name: "AddKafkaTyped" or "AddKafkaTypedCore" })
                {
                    Interlocked.Exchange(ref registered, 1);
                }
            }, OperationKind.Invocation, OperationKind.MethodReference);
            start.RegisterCompilationEndAction(endContext =>
            {
                if (Volatile.Read(ref registered) == 1 || declarations.IsEmpty)
                {
                    return;
                }

                // One report per compilation, on the first declaration in file order, so it is stable between builds.
                var first = declarations
                    .Select(type => (Type: type, Location: type.Locations.FirstOrDefault(l => l.IsInSource)))
                    .Where(x => x.Location is not null)
                    .OrderBy(x => x.Location!.SourceTree!.FilePath, StringComparer.Ordinal)
                    .ThenBy(x => x.Location!.SourceSpan.Start)
                    .FirstOrDefault();
                if (first.Type is not null)
                {
                    endContext.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.KafkaTypedNeverRegistered, first.Location, first.Type.Name));
                }
            });
        }

        private static readonly string[] TestFrameworkMarkers =
        {
            "Xunit.FactAttribute",
            "NUnit.Framework.TestAttribute",
            "Microsoft.VisualStudio.TestTools.UnitTesting.TestMethodAttribute",
            "TUnit.Core.TestAttribute",
        };

        private static bool IsTestProject(Compilation compilation) =>
            TestFrameworkMarkers.Any(name => compilation.GetTypeByMetadataName(name) is not null);
    }
}
