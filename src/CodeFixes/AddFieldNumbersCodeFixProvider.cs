using System.Globalization;
using Microsoft.CodeAnalysis.Formatting;

namespace KafkaTyped.CodeFixes
{
    /// <summary>
    /// KT0004: adds <c>[Field(n)]</c> with the numbers the analyzer assigned (next free, after the highest used,
    /// skipping reserved numbers and 19,000–19,999), to one member or to every unnumbered member of the type.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddFieldNumbersCodeFixProvider))]
    [Shared]
    public sealed class AddFieldNumbersCodeFixProvider : KafkaTypedCodeFixProvider
    {
        private const string OneKey = "KafkaTyped.AddFieldNumber";
        private const string AllKey = "KafkaTyped.AddAllFieldNumbers";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingFieldNumber);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

        /// <inheritdoc />
        protected override IEnumerable<CodeAction> Actions(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!int.TryParse(PropertyOf(diagnostic, DiagnosticProperties.FieldNumber), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                yield break;
            }

            var all = ParseAssignment(PropertyOf(diagnostic, DiagnosticProperties.TypeFieldNumbers));
            if (all.Count > 1)
            {
                yield return CodeAction.Create("Number every unnumbered member", ct => AddToTypeAsync(document, diagnostic, all, ct), AllKey);
            }

            yield return CodeAction.Create($"Add [Field({number})]", ct => AddAsync(document, new[] { (diagnostic.Location.SourceSpan, number) }, ct), OneKey);
        }

        private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
        {
            var edits = new List<(Microsoft.CodeAnalysis.Text.TextSpan, int)>();
            foreach (var diagnostic in diagnostics)
            {
                if (int.TryParse(PropertyOf(diagnostic, DiagnosticProperties.FieldNumber), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    edits.Add((diagnostic.Location.SourceSpan, number));
                }
            }

            return await AddAsync(document, edits, context.CancellationToken).ConfigureAwait(false);
        }

        private static async Task<Document> AddToTypeAsync(Document document, Diagnostic diagnostic, Dictionary<string, int> numbers, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || EnclosingAt<TypeDeclarationSyntax>(root, diagnostic) is not { } type)
            {
                return document;
            }

            var edits = new List<(Microsoft.CodeAnalysis.Text.TextSpan, int)>();
            foreach (var parameter in type.ParameterList?.Parameters ?? default)
            {
                if (numbers.TryGetValue(parameter.Identifier.ValueText, out var number))
                {
                    edits.Add((parameter.Identifier.Span, number));
                }
            }

            foreach (var property in type.Members.OfType<PropertyDeclarationSyntax>())
            {
                if (numbers.TryGetValue(property.Identifier.ValueText, out var number))
                {
                    edits.Add((property.Identifier.Span, number));
                }
            }

            return await AddAsync(document, edits, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<Document> AddAsync(Document document, IReadOnlyList<(Microsoft.CodeAnalysis.Text.TextSpan Span, int Number)> edits, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null || edits.Count == 0)
            {
                return document;
            }

            var targets = new Dictionary<SyntaxNode, int>();
            foreach (var (span, number) in edits)
            {
                var node = root.FindToken(span.Start).Parent;
                if (node is ParameterSyntax or PropertyDeclarationSyntax && !targets.ContainsKey(node))
                {
                    targets.Add(node, number);
                }
            }

            if (targets.Count == 0)
            {
                // The diagnostic's span no longer points at a member (the document changed underneath); nothing to do.
                return document;
            }

            var attributeName = AttributeNames.At(model, targets.Keys.First().SpanStart, "Field");
            var newRoot = root.ReplaceNodes(targets.Keys, (original, rewritten) =>
            {
                var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                    SyntaxFactory.Attribute(
                        SyntaxFactory.ParseName(attributeName),
                        SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                            SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(
                                SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(targets[original]))))))));
                return rewritten switch
                {
                    ParameterSyntax parameter => AddToParameter(parameter, list),
                    PropertyDeclarationSyntax property => AddToProperty(original, property, list),
                    _ => rewritten,
                };
            });
            return document.WithSyntaxRoot(newRoot);
        }

        private static SyntaxNode AddToParameter(ParameterSyntax parameter, AttributeListSyntax list)
        {
            // A positional parameter keeps its attributes inline: [Field(4)] long Amount.
            var leading = parameter.GetLeadingTrivia();
            return parameter.WithoutLeadingTrivia()
                .WithAttributeLists(parameter.AttributeLists.Insert(0, list.WithTrailingTrivia(SyntaxFactory.Space)))
                .WithLeadingTrivia(leading);
        }

        private static SyntaxNode AddToProperty(SyntaxNode original, PropertyDeclarationSyntax property, AttributeListSyntax list)
        {
            var leading = property.GetLeadingTrivia();
            return property.WithoutLeadingTrivia()
                .WithAttributeLists(property.AttributeLists.Insert(0, list.WithTrailingTrivia(Trivia.NewLineAndIndentation(original, leading))))
                .WithLeadingTrivia(leading)
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        private static Dictionary<string, int> ParseAssignment(string? text)
        {
            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            if (string.IsNullOrEmpty(text))
            {
                return map;
            }

            foreach (var pair in text!.Split(';'))
            {
                var equals = pair.IndexOf('=');
                if (equals > 0 && int.TryParse(pair.Substring(equals + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    map[pair.Substring(0, equals)] = number;
                }
            }

            return map;
        }
    }
}
