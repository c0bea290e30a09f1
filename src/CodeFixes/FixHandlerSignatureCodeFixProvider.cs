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
using Microsoft.CodeAnalysis.Simplification;

namespace KafkaTyped.CodeFixes
{
    /// <summary>
    /// KT0201/KT0202: rewrites a handler-like method into <c>public ValueTask HandleAsync(T message, MessageContext context,
    /// CancellationToken cancellationToken)</c> and adds <c>IHandle&lt;T&gt;</c> to the class, keeping the body working:
    /// <c>async</c> methods stay async, <c>void</c> bodies return <c>default</c>, <c>Task</c> results are wrapped.
    /// Offered only when the method has no parameters beyond the message, a context and a token.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FixHandlerSignatureCodeFixProvider))]
    [Shared]
    public sealed class FixHandlerSignatureCodeFixProvider : KafkaTypedCodeFixProvider
    {
        private const string MessageContextName = "global::KafkaTyped.MessageContext";
        private const string CancellationTokenName = "global::System.Threading.CancellationToken";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticIds.HandlerSignatureMismatch, DiagnosticIds.AsyncVoidHandler);

        /// <inheritdoc />
        protected override IEnumerable<CodeAction> Actions(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            // The diagnostic sits on the method's name, whose parent is the method itself.
            if (PropertyOf(diagnostic, DiagnosticProperties.MessageType) is not { } messageType ||
                root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not MethodDeclarationSyntax method ||
                Plan(method, model, cancellationToken) is not { } plan)
            {
                yield break;
            }

            yield return CodeAction.Create(
                "Make it IHandle<T>.HandleAsync",
                ct => FixAsync(document, method, messageType, plan, ct),
                "KafkaTyped.FixHandlerSignature");
        }

        private enum BodyKind
        {
            KeepAsync,
            KeepValueTask,
            FromVoid,
            FromTask,
        }

        private sealed class FixPlan
        {
            public BodyKind Body { get; set; }
            public string MessageName { get; set; } = "message";
            public string ContextName { get; set; } = "context";
            public string TokenName { get; set; } = "cancellationToken";
            public bool EndReachable { get; set; }
        }

        private static FixPlan? Plan(MethodDeclarationSyntax method, SemanticModel model, CancellationToken cancellationToken)
        {
            if (model.GetDeclaredSymbol(method, cancellationToken) is not IMethodSymbol symbol || symbol.Parameters.Length == 0)
            {
                return null;
            }

            var plan = new FixPlan { MessageName = symbol.Parameters[0].Name };
            var contextSeen = false;
            var tokenSeen = false;
            for (var i = 1; i < symbol.Parameters.Length; i++)
            {
                var parameter = symbol.Parameters[i];
                var typeName = parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                if (typeName == MessageContextName && !contextSeen)
                {
                    contextSeen = true;
                    plan.ContextName = parameter.Name;
                }
                else if (typeName == CancellationTokenName && !tokenSeen)
                {
                    tokenSeen = true;
                    plan.TokenName = parameter.Name;
                }
                else
                {
                    // Another parameter is probably used by the body; dropping it would not compile.
                    return null;
                }
            }

            var returnType = symbol.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            if (symbol.IsAsync && (symbol.ReturnsVoid || returnType == "global::System.Threading.Tasks.Task" || returnType == "global::System.Threading.Tasks.ValueTask"))
            {
                plan.Body = BodyKind.KeepAsync;
            }
            else if (symbol.IsAsync)
            {
                return null;
            }
            else if (symbol.ReturnsVoid)
            {
                plan.Body = BodyKind.FromVoid;
                plan.EndReachable = method.Body is not { Statements.Count: > 0 } body ||
                    model.AnalyzeControlFlow(body.Statements.First(), body.Statements.Last()) is not { Succeeded: true } flow || flow.EndPointIsReachable;
            }
            else if (returnType == "global::System.Threading.Tasks.Task")
            {
                plan.Body = BodyKind.FromTask;
            }
            else if (returnType == "global::System.Threading.Tasks.ValueTask")
            {
                plan.Body = BodyKind.KeepValueTask;
            }
            else
            {
                return null;
            }

            return plan;
        }

        private static async Task<Document> FixAsync(Document document, MethodDeclarationSyntax method, string messageType, FixPlan plan, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || method.Parent is not TypeDeclarationSyntax type)
            {
                return document;
            }

            var updated = method
                .WithIdentifier(SyntaxFactory.Identifier("HandleAsync").WithTriviaFrom(method.Identifier))
                .WithReturnType(Simplified("global::System.Threading.Tasks.ValueTask").WithTriviaFrom(method.ReturnType))
                .WithParameterList(SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(new[]
                {
                    Parameter(messageType, plan.MessageName),
                    Parameter(MessageContextName, plan.ContextName),
                    Parameter(CancellationTokenName, plan.TokenName),
                })).WithTriviaFrom(method.ParameterList));
            updated = WithPublic(updated);
            updated = RewriteBody(updated, plan);

            var handler = Simplified("global::KafkaTyped.IHandle<" + messageType + ">");
            var newType = type.ReplaceNode(method, updated.WithAdditionalAnnotations(Formatter.Annotation));
            if (!Implements(type, messageType))
            {
                var entry = SyntaxFactory.SimpleBaseType(handler);
                newType = newType.BaseList is null
                    ? newType.WithIdentifier(newType.Identifier.WithTrailingTrivia()).WithBaseList(
                        SyntaxFactory.BaseList(SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(entry)).WithTrailingTrivia(newType.Identifier.TrailingTrivia))
                    : newType.WithBaseList(newType.BaseList.AddTypes(entry));
            }

            var newDocument = document.WithSyntaxRoot(root.ReplaceNode(type, newType));
            newDocument = await Simplifier.ReduceAsync(newDocument, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await Formatter.FormatAsync(newDocument, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        private static bool Implements(TypeDeclarationSyntax type, string messageType)
        {
            var shortName = messageType.Substring(messageType.LastIndexOf('.') + 1).Replace("global::", string.Empty);
            return type.BaseList?.Types.Any(t => t.Type is GenericNameSyntax { Identifier.ValueText: "IHandle" } generic &&
                generic.TypeArgumentList.Arguments.Count == 1 &&
                generic.TypeArgumentList.Arguments[0].ToString().EndsWith(shortName, System.StringComparison.Ordinal)) == true;
        }

        private static MethodDeclarationSyntax WithPublic(MethodDeclarationSyntax method)
        {
            var accessibility = new[] { SyntaxKind.PrivateKeyword, SyntaxKind.ProtectedKeyword, SyntaxKind.InternalKeyword, SyntaxKind.PublicKeyword };
            var leading = method.GetLeadingTrivia();
            var modifiers = method.WithoutLeadingTrivia().Modifiers.Where(m => !accessibility.Contains(m.Kind())).ToList();
            modifiers.Insert(0, SyntaxFactory.Token(SyntaxKind.PublicKeyword).WithTrailingTrivia(SyntaxFactory.Space));
            var withoutTrivia = method.Modifiers.Count == 0 ? method.WithReturnType(method.ReturnType.WithoutLeadingTrivia()) : method.WithoutLeadingTrivia();
            return withoutTrivia.WithModifiers(SyntaxFactory.TokenList(modifiers)).WithLeadingTrivia(leading);
        }

        private static MethodDeclarationSyntax RewriteBody(MethodDeclarationSyntax method, FixPlan plan)
        {
            switch (plan.Body)
            {
                case BodyKind.FromVoid when method.ExpressionBody is { Expression: not ThrowExpressionSyntax } arrow:
                    return method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(SyntaxFactory.Block(
                        SyntaxFactory.ExpressionStatement(arrow.Expression),
                        ReturnDefault()));
                case BodyKind.FromVoid when method.Body is { } body:
                    var rewritten = (BlockSyntax)new ReturnRewriter(r => r.Expression is null ? ReturnDefault().WithTriviaFrom(r) : r).Visit(body);
                    return method.WithBody(plan.EndReachable ? rewritten.AddStatements(ReturnDefault()) : rewritten);
                case BodyKind.FromTask when method.ExpressionBody is { Expression: not ThrowExpressionSyntax } arrow:
                    return method.WithExpressionBody(arrow.WithExpression(WrapTask(arrow.Expression)));
                case BodyKind.FromTask when method.Body is { } body:
                    return method.WithBody((BlockSyntax)new ReturnRewriter(r => r.Expression is null ? r : r.WithExpression(WrapTask(r.Expression))).Visit(body));
                default:
                    return method;
            }
        }

        private static ExpressionSyntax WrapTask(ExpressionSyntax expression) =>
            SyntaxFactory.ObjectCreationExpression(
                Simplified("global::System.Threading.Tasks.ValueTask"),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(expression.WithoutTrivia()))),
                null).WithTriviaFrom(expression);

        private static ReturnStatementSyntax ReturnDefault() =>
            SyntaxFactory.ReturnStatement(SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression)).WithAdditionalAnnotations(Formatter.Annotation);

        private static ParameterSyntax Parameter(string type, string name) =>
            SyntaxFactory.Parameter(SyntaxFactory.Identifier(name)).WithType(Simplified(type));

        private static TypeSyntax Simplified(string name) =>
            SyntaxFactory.ParseTypeName(name).WithAdditionalAnnotations(Simplifier.Annotation);

        /// <summary>Rewrites the method's own return statements, not those of lambdas or local functions inside it.</summary>
        private sealed class ReturnRewriter : CSharpSyntaxRewriter
        {
            private readonly System.Func<ReturnStatementSyntax, StatementSyntax> _rewrite;

            public ReturnRewriter(System.Func<ReturnStatementSyntax, StatementSyntax> rewrite) => _rewrite = rewrite;

            public override SyntaxNode? VisitReturnStatement(ReturnStatementSyntax node) => _rewrite(node);

            public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node) => node;

            public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) => node;

            public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) => node;

            public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node) => node;
        }
    }
}
