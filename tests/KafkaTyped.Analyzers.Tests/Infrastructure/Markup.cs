using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace KafkaTyped.Analyzers.Tests.Infrastructure;

/// <summary>An expected diagnostic: its ID and the exact span it must cover.</summary>
internal sealed record ExpectedDiagnostic(string Id, int SourceIndex, TextSpan Span, string Text);

/// <summary>Reads <c>{|KT0001:text|}</c> markup: strips it and returns the expected diagnostics.</summary>
internal static class Markup
{
    public static (string Source, List<ExpectedDiagnostic> Expected) Parse(string markup, int sourceIndex = 0)
    {
        var output = new StringBuilder(markup.Length);
        var expected = new List<ExpectedDiagnostic>();
        var open = new Stack<(string Id, int Start)>();
        var i = 0;
        while (i < markup.Length)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                var colon = markup.IndexOf(':', i + 2);
                open.Push((markup.Substring(i + 2, colon - i - 2), output.Length));
                i = colon + 1;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}' && open.Count > 0)
            {
                var (id, start) = open.Pop();
                var span = TextSpan.FromBounds(start, output.Length);
                expected.Add(new ExpectedDiagnostic(id, sourceIndex, span, output.ToString(start, span.Length)));
                i += 2;
            }
            else
            {
                output.Append(markup[i]);
                i++;
            }
        }

        Assert.True(open.Count == 0, "unbalanced markup");
        return (output.ToString(), expected);
    }
}
