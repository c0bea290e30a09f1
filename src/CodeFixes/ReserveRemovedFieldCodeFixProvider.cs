using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KafkaTyped.Analyzers.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace KafkaTyped.CodeFixes
{
    /// <summary>
    /// KT0302: reserves the number and name of a field removed since the schema baseline, as <c>[Reserved(n)]</c> and
    /// <c>[Reserved("name")]</c> on the message. Fix All writes one attribute pair per message for all its removed fields.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReserveRemovedFieldCodeFixProvider))]
    [Shared]
    public sealed class ReserveRemovedFieldCodeFixProvider : CodeFixProvider
    {
        private const string EquivalenceKey = "KafkaTyped.ReserveRemovedField";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.RemovedFieldNotReserved);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create(async (context, document, diagnostics) => await ReserveAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

        /// <inheritdoc />
        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (Read(diagnostic) is not { } removed)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Reserve removed field {removed.Number}" + (removed.Name is null ? string.Empty : $" ('{removed.Name}')"),
                        ct => ReserveAsync(context.Document, ImmutableArray.Create(diagnostic), ct),
                        EquivalenceKey),
                    diagnostic);
            }

            return Task.CompletedTask;
        }

        private static (int Number, string? Name)? Read(Diagnostic diagnostic) =>
            diagnostic.Properties.TryGetValue(DiagnosticProperties.RemovedNumber, out var text) &&
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? (number, diagnostic.Properties.TryGetValue(DiagnosticProperties.RemovedName, out var name) ? name : null)
                : null;

        private static async Task<Document> ReserveAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return document;
            }

            var byType = new Dictionary<TypeDeclarationSyntax, (SortedSet<int> Numbers, SortedSet<string> Names)>();
            foreach (var diagnostic in diagnostics)
            {
                if (Read(diagnostic) is not { } removed ||
                    root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
                {
                    continue;
                }

                if (!byType.TryGetValue(type, out var entry))
                {
                    byType[type] = entry = (new SortedSet<int>(), new SortedSet<string>(System.StringComparer.Ordinal));
                }

                entry.Numbers.Add(removed.Number);
                if (removed.Name is not null)
                {
                    entry.Names.Add(removed.Name);
                }
            }

            if (byType.Count == 0)
            {
                return document;
            }

            var attributeName = AttributeNames.At(model, byType.Keys.First().SpanStart, "Reserved");
            var newRoot = root.ReplaceNodes(byType.Keys, (original, rewritten) =>
            {
                var (numbers, names) = byType[original];
                var lists = new List<AttributeListSyntax>
                {
                    Reserved(attributeName, numbers.Select(n => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(n)))),
                };
                if (names.Count > 0)
                {
                    lists.Add(Reserved(attributeName, names.Select(n => SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(n)))));
                }

                // New attributes go first, above the existing ones, with the declaration's own indentation.
                var leading = rewritten.GetLeadingTrivia();
                var newLine = Trivia.NewLineAndIndentation(leading);
                var withLists = rewritten.WithoutLeadingTrivia().WithAttributeLists(rewritten.AttributeLists.InsertRange(
                    0, lists.Select(l => l.WithTrailingTrivia(newLine))));
                return withLists.WithLeadingTrivia(leading).WithAdditionalAnnotations(Formatter.Annotation);
            });

            return document.WithSyntaxRoot(newRoot);
        }

        private static AttributeListSyntax Reserved(string attributeName, IEnumerable<ExpressionSyntax> values) =>
            SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(
                    SyntaxFactory.ParseName(attributeName),
                    SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(values.Select(SyntaxFactory.AttributeArgument))))));
    }
}
