using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.CodeFixes
{
    internal static class Trivia
    {
        /// <summary>
        /// A line break followed by the declaration's own indentation (none at column 0), so a new attribute line
        /// lines up with the declaration it is placed above.
        /// </summary>
        public static IEnumerable<SyntaxTrivia> NewLineAndIndentation(SyntaxTriviaList leading)
        {
            yield return SyntaxFactory.ElasticCarriageReturnLineFeed;
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
    }
}
