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

namespace KafkaTyped.CodeFixes
{
    /// <summary>KT0306: keeps the baseline's Protobuf name on a renamed C# type with <c>[KafkaMessage(Name = "Old")]</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KeepMessageNameCodeFixProvider))]
    [Shared]
    public sealed class KeepMessageNameCodeFixProvider : KafkaTypedCodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MessageRenamed);

        /// <inheritdoc />
        protected override IEnumerable<CodeAction> Actions(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (PropertyOf(diagnostic, DiagnosticProperties.BaselineName) is not { } name ||
                EnclosingAt<TypeDeclarationSyntax>(root, diagnostic) is not { } type ||
                FindKafkaMessage(type) is not { } attribute)
            {
                yield break;
            }

            yield return CodeAction.Create(
                $"Keep the Protobuf name '{name}'",
                _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(attribute, WithName(attribute, name)))),
                "KafkaTyped.KeepMessageName");
        }

        private static AttributeSyntax? FindKafkaMessage(TypeDeclarationSyntax type) =>
            type.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a =>
                a.Name.ToString() is var text && (text.EndsWith("KafkaMessage", System.StringComparison.Ordinal) || text.EndsWith("KafkaMessageAttribute", System.StringComparison.Ordinal)));

        private static AttributeSyntax WithName(AttributeSyntax attribute, string name)
        {
            var argument = SyntaxFactory.AttributeArgument(
                SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName("Name")),
                null,
                SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name)));
            var arguments = attribute.ArgumentList?.Arguments ?? default;
            var existing = arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Name");
            arguments = existing is null ? arguments.Add(argument) : arguments.Replace(existing, argument.WithTriviaFrom(existing));
            return attribute.WithArgumentList(SyntaxFactory.AttributeArgumentList(arguments));
        }
    }
}
