using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using KafkaTyped.Roslyn.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.CodeFixes
{
    /// <summary>KT0209: adds <c>[ConsumerGroup("...")]</c> with the analyzer's suggestion (the class name in kebab-case).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddConsumerGroupCodeFixProvider))]
    [Shared]
    public sealed class AddConsumerGroupCodeFixProvider : KafkaTypedCodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.HandlerWithoutConsumerGroup);

        /// <inheritdoc />
        protected override IEnumerable<CodeAction> Actions(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (PropertyOf(diagnostic, DiagnosticProperties.GroupId) is not { } groupId ||
                EnclosingAt<ClassDeclarationSyntax>(root, diagnostic) is not { } declaration)
            {
                yield break;
            }

            var name = AttributeNames.At(model, declaration.SpanStart, "ConsumerGroup");
            yield return CodeAction.Create(
                $"Add [ConsumerGroup(\"{groupId}\")]",
                _ =>
                {
                    var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(
                        SyntaxFactory.ParseName(name),
                        SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(
                            SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(groupId))))))));
                    var leading = declaration.GetLeadingTrivia();
                    var lists = declaration.AttributeLists;
                    if (lists.Count > 0)
                    {
                        lists = lists.Replace(lists[0], lists[0].WithoutLeadingTrivia());
                    }

                    var fixedDeclaration = declaration.WithoutLeadingTrivia()
                        .WithAttributeLists(lists.Insert(0, attribute.WithTrailingTrivia(Trivia.NewLineAndIndentation(declaration, leading).ToList())))
                        .WithLeadingTrivia(leading);
                    return System.Threading.Tasks.Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(declaration, fixedDeclaration)));
                },
                "KafkaTyped.AddConsumerGroup");
        }
    }
}
