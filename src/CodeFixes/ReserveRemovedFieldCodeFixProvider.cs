using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
    /// <summary>
    /// KT0302: reserves the number and name of a field removed since the schema baseline, as <c>[Reserved(n)]</c> and
    /// <c>[Reserved("name")]</c> on the message. Fix All writes one attribute pair per message for all its removed fields.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReserveRemovedFieldCodeFixProvider))]
    [Shared]
    public sealed class ReserveRemovedFieldCodeFixProvider : KafkaTypedCodeFixProvider
    {
        private const string EquivalenceKey = "KafkaTyped.ReserveRemovedField";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.RemovedFieldNotReserved);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() =>
            FixAllProvider.Create(async (context, document, diagnostics) => await ReserveAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

        /// <inheritdoc />
        protected override IEnumerable<CodeAction> Actions(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (Read(diagnostic) is not { } removed)
            {
                yield break;
            }

            yield return CodeAction.Create(
                $"Reserve removed field {removed.Number}" + (removed.Name is null ? string.Empty : $" ('{removed.Name}')"),
                ct => ReserveAsync(document, ImmutableArray.Create(diagnostic), ct),
                EquivalenceKey);
        }

        private static (int Number, string? Name)? Read(Diagnostic diagnostic) =>
            int.TryParse(PropertyOf(diagnostic, DiagnosticProperties.RemovedNumber), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? (number, PropertyOf(diagnostic, DiagnosticProperties.RemovedName))
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
                    EnclosingAt<TypeDeclarationSyntax>(root, diagnostic) is not { } type)
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

                // Reserved numbers and names already listed in a [Reserved] of literals are merged into it (sorted), so
                // fixing removed fields one by one gives the same two attributes as fixing them all at once.
                var lists = rewritten.AttributeLists;
                var added = new List<AttributeListSyntax>();
                var numberList = FindLiteralList(model, original, lists, SyntaxKind.NumericLiteralExpression);
                if (numberList >= 0)
                {
                    lists = lists.Replace(lists[numberList], Merge(lists[numberList], numbers.Select(n => (object)n), SyntaxKind.NumericLiteralExpression));
                }
                else
                {
                    added.Add(Reserved(attributeName, numbers.Select(Number)));
                }

                if (names.Count > 0)
                {
                    var nameList = FindLiteralList(model, original, lists, SyntaxKind.StringLiteralExpression);
                    if (nameList >= 0)
                    {
                        lists = lists.Replace(lists[nameList], Merge(lists[nameList], names.Select(n => (object)n), SyntaxKind.StringLiteralExpression));
                    }
                    else
                    {
                        added.Add(Reserved(attributeName, names.Select(Name)));
                    }
                }

                // New attributes go first, above the existing ones, with the declaration's own indentation.
                var leading = rewritten.GetLeadingTrivia();
                var newLine = Trivia.NewLineAndIndentation(original, leading).ToList();
                if (lists.Count > 0)
                {
                    // The declaration's leading trivia moves to the first new list.
                    lists = lists.Replace(lists[0], lists[0].WithoutLeadingTrivia());
                }

                var withLists = rewritten.WithoutLeadingTrivia().WithAttributeLists(lists.InsertRange(0, added.Select(l => l.WithTrailingTrivia(newLine))));
                return withLists.WithLeadingTrivia(leading).WithAdditionalAnnotations(Formatter.Annotation);
            });

            return document.WithSyntaxRoot(newRoot);
        }

        private static ExpressionSyntax Number(int value) => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));

        private static ExpressionSyntax Name(string value) => SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value));

        /// <summary>The index of the type's <c>[Reserved]</c> list whose only attribute has literal arguments of one kind, or -1.</summary>
        private static int FindLiteralList(SemanticModel model, TypeDeclarationSyntax original, SyntaxList<AttributeListSyntax> lists, SyntaxKind literal)
        {
            for (var i = 0; i < lists.Count; i++)
            {
                if (i >= original.AttributeLists.Count || lists[i].Attributes.Count != 1 ||
                    original.AttributeLists[i].Attributes[0] is not { ArgumentList: { Arguments.Count: > 0 } arguments } attribute ||
                    model.GetSymbolInfo(attribute).Symbol?.ContainingType?.ToDisplayString() != KafkaTyped.Roslyn.KnownNames.ReservedAttribute)
                {
                    continue;
                }

                if (arguments.Arguments.All(a => a.NameEquals is null && a.NameColon is null && a.Expression.IsKind(literal)))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The list with <paramref name="values"/> added to its literals, all sorted and distinct.</summary>
        private static AttributeListSyntax Merge(AttributeListSyntax list, IEnumerable<object> values, SyntaxKind literal)
        {
            var attribute = list.Attributes[0];
            var existing = attribute.ArgumentList!.Arguments.Select(a => ((LiteralExpressionSyntax)a.Expression).Token.Value!);
            var all = literal == SyntaxKind.NumericLiteralExpression
                ? existing.Concat(values).Select(v => System.Convert.ToInt32(v, CultureInfo.InvariantCulture)).Distinct().OrderBy(n => n).Select(Number)
                : existing.Concat(values).Select(v => (string)v).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).Select(Name);
            var arguments = SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(all.Select(SyntaxFactory.AttributeArgument)))
                .WithTriviaFrom(attribute.ArgumentList);
            return list.WithAttributes(SyntaxFactory.SingletonSeparatedList(attribute.WithArgumentList(arguments)));
        }

        private static AttributeListSyntax Reserved(string attributeName, IEnumerable<ExpressionSyntax> values) =>
            SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(
                    SyntaxFactory.ParseName(attributeName),
                    SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(values.Select(SyntaxFactory.AttributeArgument))))));
    }
}
