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
    public sealed class MakePartialCodeFixProvider : CodeFixProvider
    {
        private const string EquivalenceKey = "KafkaTyped.MakePartial";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticIds.TypeMustBePartial, DiagnosticIds.ContainingTypeMustBePartial);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<BaseTypeDeclarationSyntax>();
                if (declaration is null)
                {
                    continue;
                }

                var containers = diagnostic.Id == DiagnosticIds.TypeMustBePartial;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        containers ? "Make the type partial" : "Make the containing types partial",
                        ct => MakePartialAsync(context.Document, declaration, includeSelf: containers, ct),
                        EquivalenceKey + diagnostic.Id),
                    diagnostic);
            }
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
