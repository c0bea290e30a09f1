using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace KafkaTyped.Roslyn.Model
{
    /// <summary>
    /// A diagnostic the generator reports, as plain data: the ID, where (path and spans, no syntax tree), the message
    /// arguments and the properties a code fix reads.
    /// </summary>
    /// <remarks>
    /// Holds no <c>Location</c> or <c>SyntaxTree</c>, so a cached generator step keeps no tree alive; equal when every
    /// part is equal. <see cref="Properties"/> alternates keys and values.
    /// </remarks>
    public sealed record DiagnosticInfo(
        string Id,
        string FilePath,
        TextSpan Span,
        LinePositionSpan LineSpan,
        EquatableArray<string> Arguments,
        EquatableArray<string> Properties)
    {
        public static DiagnosticInfo Create(string id, Location location, string[] arguments, params string[] properties)
        {
            FileLinePositionSpan line = location.GetLineSpan();
            return new DiagnosticInfo(id, line.Path ?? string.Empty, location.SourceSpan, line.Span,
                new EquatableArray<string>(arguments), new EquatableArray<string>(properties));
        }
    }
}
