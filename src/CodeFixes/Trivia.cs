namespace KafkaTyped.CodeFixes
{
    internal static class Trivia
    {
        /// <summary>
        /// A line break in the document's own style (the first one it has; LF when it has none) followed by the
        /// declaration's own indentation (none at column 0), so a new attribute line lines up with the declaration it
        /// is placed above and the file keeps one kind of line ending.
        /// </summary>
        public static IEnumerable<SyntaxTrivia> NewLineAndIndentation(SyntaxNode node, SyntaxTriviaList leading)
        {
            yield return SyntaxFactory.EndOfLine(NewLineOf(node));
            for (var i = leading.Count - 1; i >= 0; i--)
            {
                if (leading[i].IsKind(SyntaxKind.WhitespaceTrivia))
                {
                    yield return leading[i];
                    yield break;
                }

                if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    yield break;
                }
            }
        }

        /// <summary>The line ending the document containing <paramref name="node"/> uses.</summary>
        public static string NewLineOf(SyntaxNode node)
        {
            foreach (var trivia in node.SyntaxTree.GetRoot().DescendantTrivia())
            {
                if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    return trivia.ToString();
                }
            }

            return "\n";
        }
    }
}
