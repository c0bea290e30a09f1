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
using Microsoft.CodeAnalysis.Formatting;

namespace KafkaTyped.CodeFixes
{
    /// <summary>KT0010: inserts a zero member (named by the analyzer, e.g. <c>Unspecified = 0</c>) first in the enum.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddZeroEnumValueCodeFixProvider))]
    [Shared]
    public sealed class AddZeroEnumValueCodeFixProvider : KafkaTypedCodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.EnumWithoutZeroValue);

        /// <inheritdoc />
        protected override IEnumerable<CodeAction> Actions(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            // The enum may be declared in another document than the message that uses it.
            if (PropertyOf(diagnostic, DiagnosticProperties.ZeroMemberName) is not { } name ||
                PropertyOf(diagnostic, DiagnosticProperties.EnumName) is not { } enumId ||
                DocumentationCommentId.GetFirstSymbolForDeclarationId(enumId, model.Compilation) is not INamedTypeSymbol enumType ||
                enumType.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference ||
                document.Project.Solution.GetDocument(reference.SyntaxTree) is not { } enumDocument)
            {
                yield break;
            }

            yield return CodeAction.Create(
                $"Add '{name} = 0' to '{enumType.Name}'",
                ct => AddZeroAsync(enumDocument, reference.Span, name, ct),
                "KafkaTyped.AddZeroEnumValue." + enumId);
        }

        private static async Task<Solution> AddZeroAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, string name, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root?.FindNode(span) is not EnumDeclarationSyntax declaration)
            {
                return document.Project.Solution;
            }

            var zero = SyntaxFactory.EnumMemberDeclaration(name)
                .WithEqualsValue(SyntaxFactory.EqualsValueClause(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(0))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            var updated = declaration.WithMembers(declaration.Members.Insert(0, zero)).WithAdditionalAnnotations(Formatter.Annotation);
            var newDocument = document.WithSyntaxRoot(root.ReplaceNode(declaration, updated));
            newDocument = await Formatter.FormatAsync(newDocument, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            return newDocument.Project.Solution;
        }
    }
}
