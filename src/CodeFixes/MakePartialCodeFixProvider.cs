using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KafkaTyped.Roslyn.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace KafkaTyped.CodeFixes
{
    /// <summary>KT0001/KT0003: adds <c>partial</c> to the type, or to every non-partial containing type.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider))]
    [Shared]
    public sealed class MakePartialCodeFixProvider : KafkaTypedCodeFixProvider
    {
        private const string EquivalenceKey = "KafkaTyped.MakePartial";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticIds.TypeMustBePartial, DiagnosticIds.ContainingTypeMustBePartial);

        /// <inheritdoc />
        protected override IEnumerable<CodeAction> Actions(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (EnclosingAt<BaseTypeDeclarationSyntax>(root, diagnostic) is not { } declaration)
            {
                yield break;
            }

            var containers = diagnostic.Id == DiagnosticIds.TypeMustBePartial;
            yield return CodeAction.Create(
                containers ? "Make the type partial" : "Make the containing types partial",
                ct => MakePartialAsync(document, declaration, includeSelf: containers, ct),
                EquivalenceKey + diagnostic.Id);
        }

        private static async Task<Document> MakePartialAsync(Document document, BaseTypeDeclarationSyntax declaration, bool includeSelf, CancellationToken cancellationToken)
        {
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            var targets = includeSelf
                ? new[] { declaration }
                : declaration.Ancestors().OfType<BaseTypeDeclarationSyntax>().ToArray();
            foreach (var target in targets)
            {
                if (target.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    continue;
                }

                editor.SetModifiers(target, editor.Generator.GetModifiers(target).WithPartial(true));
            }

            return editor.GetChangedDocument();
        }
    }
}
