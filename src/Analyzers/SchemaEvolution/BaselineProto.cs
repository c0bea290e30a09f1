using Microsoft.CodeAnalysis.Text;

namespace KafkaTyped.Analyzers.SchemaEvolution
{
    /// <summary>The label of a baseline or current field, as far as compatibility is concerned.</summary>
    internal enum FieldLabel
    {
        Singular,
        Repeated,
        Map,
    }

    /// <summary>One committed baseline <c>.proto</c> file.</summary>
    internal sealed class BaselineFile
    {
        public BaselineFile(string path) => Path = path;

        public string Path { get; }

        public string Package { get; set; } = string.Empty;

        /// <summary>Top-level messages in file order (their position is the Confluent message index).</summary>
        public List<BaselineMessage> Messages { get; } = new List<BaselineMessage>();
    }

    internal sealed class BaselineMessage
    {
        public BaselineMessage(BaselineFile file, string name, TextSpan span)
        {
            File = file;
            Name = name;
            Span = span;
        }

        public BaselineFile File { get; }

        public string Name { get; }

        public string FullName => File.Package.Length == 0 ? Name : File.Package + "." + Name;

        /// <summary>The span of the message name in the baseline file, for diagnostics that point there.</summary>
        public TextSpan Span { get; }

        public List<BaselineField> Fields { get; } = new List<BaselineField>();

        public List<(int Start, int End)> ReservedRanges { get; } = new List<(int Start, int End)>();

        public HashSet<string> ReservedNames { get; } = new HashSet<string>(System.StringComparer.Ordinal);

        public bool IsReserved(int number)
        {
            foreach (var (start, end) in ReservedRanges)
            {
                if (number >= start && number <= end)
                {
                    return true;
                }
            }

            return false;
        }
    }

    internal sealed class BaselineField(string name, int number, string type, FieldLabel label, string? mapKey, bool isEnum)
    {
        public string Name { get; } = name;

        public int Number { get; } = number;

        /// <summary>True when the (value) type is an enum, which shares the varint wire group.</summary>
        public bool IsEnum { get; } = isEnum;

        /// <summary>The scalar or named type as written (<c>int64</c>, <c>Money</c>, <c>.google.protobuf.Timestamp</c>); the map value for maps.</summary>
        public string Type { get; } = type;

        public FieldLabel Label { get; } = label;

        public string? MapKey { get; } = mapKey;
    }
}
