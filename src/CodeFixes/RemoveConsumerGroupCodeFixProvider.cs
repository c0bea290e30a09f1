using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using KafkaTyped.Roslyn;
using KafkaTyped.Roslyn.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.CodeFixes
{
    /// <summary>KT0210: removes the <c>[ConsumerGroup]</c> of a class that handles nothing (its list too when it holds nothing else).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveConsumerGroupCodeFixProvider))]
    [Shared]
    public sealed class RemoveConsumerGroupCodeFixProvider : KafkaTypedCodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ConsumerGroupWithoutHandlers);

        /// <inheritdoc />
        protected override IEnumerable<CodeAction> Actions(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (EnclosingAt<ClassDeclarationSyntax>(root, diagnostic) is not { } declaration)
            {
                yield break;
            }

            foreach (var list in declaration.AttributeLists)
            {
                foreach (var attribute in list.Attributes)
                {
                    if (model.GetSymbolInfo(attribute).Symbol?.ContainingType?.ToDisplayString() != KnownNames.ConsumerGroupAttribute)
                    {
                        continue;
                    }

                    yield return CodeAction.Create(
                        "Remove [ConsumerGroup]",
                        _ =>
                        {
                            // The declaration keeps its own leading trivia (comments, indentation) wherever its first token now is.
                            var fixedDeclaration = list.Attributes.Count == 1
                                ? declaration.WithAttributeLists(declaration.AttributeLists.Remove(list)).WithLeadingTrivia(declaration.GetLeadingTrivia())
                                : declaration.ReplaceNode(list, list.WithAttributes(list.Attributes.Remove(attribute)));
                            return System.Threading.Tasks.Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(declaration, fixedDeclaration)));
                        },
                        "KafkaTyped.RemoveConsumerGroup");
                    yield break;
                }
            }
        }
    }
}
