using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace KafkaTyped.CodeFixes
{
    /// <summary>
    /// The scaffold every KafkaTyped code fix shares: for each diagnostic of the context, the document's root and semantic
    /// model are read once and the subclass offers its actions (none when the code no longer has the expected shape);
    /// FixAll batches single fixes unless a subclass merges them itself.
    /// </summary>
    public abstract class KafkaTypedCodeFixProvider : CodeFixProvider
    {
        /// <inheritdoc />
        public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                foreach (var action in Actions(context.Document, root, model, diagnostic, context.CancellationToken))
                {
                    context.RegisterCodeFix(action, diagnostic);
                }
            }
        }

        /// <summary>The fixes offered for one diagnostic.</summary>
        protected abstract IEnumerable<CodeAction> Actions(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken);

        /// <summary>
        /// The innermost <typeparamref name="TNode"/> around the start of the diagnostic's span, or null when the code no
        /// longer has that shape (the document changed after the analyzer ran).
        /// </summary>
        protected static TNode? EnclosingAt<TNode>(SyntaxNode root, Diagnostic diagnostic)
            where TNode : SyntaxNode =>
            root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TNode>();

        /// <summary>A value the analyzer passed in the diagnostic's properties, or null when it is absent.</summary>
        protected static string? PropertyOf(Diagnostic diagnostic, string name) =>
            diagnostic.Properties.TryGetValue(name, out var value) ? value : null;
    }
}
