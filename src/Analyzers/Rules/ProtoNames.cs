using System.Text;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>Protobuf naming rules for C# members: field names are the snake_case of the property names.</summary>
    internal static class ProtoNames
    {
        /// <summary>
        /// <c>OrderId</c> → <c>order_id</c>, <c>HTTPStatus</c> → <c>http_status</c>, <c>Line2Total</c> → <c>line2_total</c>.
        /// An underscore goes before an upper-case letter that follows a lower-case letter or digit, or that starts a
        /// new word after an acronym.
        /// </summary>
        public static string ToSnakeCase(string name)
        {
            var builder = new StringBuilder(name.Length + 4);
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (char.IsUpper(c))
                {
                    var previous = i > 0 ? name[i - 1] : '\0';
                    var next = i + 1 < name.Length ? name[i + 1] : '\0';
                    var startsWord = i > 0 && previous != '_' &&
                        (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next)));
                    if (startsWord)
                    {
                        builder.Append('_');
                    }

                    builder.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        /// <summary>A Protobuf identifier: an ASCII letter or '_', then ASCII letters, digits and '_'.</summary>
        public static bool IsIdentifier(string? text)
        {
            if (text is null || text.Length == 0 || !(IsAsciiLetter(text[0]) || text[0] == '_'))
            {
                return false;
            }

            foreach (var c in text)
            {
                if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A Protobuf package: empty, or dot-separated identifiers.</summary>
        public static bool IsValidPackage(string package)
        {
            if (package.Length == 0)
            {
                return true;
            }

            foreach (var part in package.Split('.'))
            {
                if (!IsIdentifier(part))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
