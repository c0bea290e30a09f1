using System.Text;

namespace KafkaTyped.Roslyn.Model
{
    /// <summary>The naming rules that turn C# names into Protobuf names and file paths (documented in docs/types.md).</summary>
    public static class ProtoNaming
    {
        /// <summary><c>OrderId</c> → <c>order_id</c>, <c>HTTPCode</c> → <c>http_code</c>, <c>Line2</c> → <c>line2</c>.</summary>
        public static string ToSnakeCase(string name)
        {
            var sb = new StringBuilder(name.Length + 8);
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (char.IsUpper(c))
                {
                    bool prevLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                    bool acronymEnd = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                    if ((prevLowerOrDigit || acronymEnd) && sb.Length > 0 && sb[sb.Length - 1] != '_')
                    {
                        sb.Append('_');
                    }

                    sb.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        /// <summary><c>OrderStatus</c> → <c>ORDER_STATUS</c>.</summary>
        public static string ToUpperSnakeCase(string name) => ToSnakeCase(name).ToUpperInvariant();

        /// <summary>protoc's map entry name: <c>labels_by_id</c> → <c>LabelsByIdEntry</c>.</summary>
        public static string MapEntryName(string fieldName)
        {
            var sb = new StringBuilder(fieldName.Length + 5);
            bool upper = true;
            foreach (char c in fieldName)
            {
                if (c == '_')
                {
                    upper = true;
                    continue;
                }

                sb.Append(upper && c >= 'a' && c <= 'z' ? char.ToUpperInvariant(c) : c);
                upper = false;
            }

            return sb.Append("Entry").ToString();
        }

        /// <summary>A set interface <c>IOrderEvents</c> → base name <c>OrderEvents</c>.</summary>
        public static string SetBaseName(string interfaceName) =>
            interfaceName.Length > 1 && interfaceName[0] == 'I' && char.IsUpper(interfaceName[1]) ? interfaceName.Substring(1) : interfaceName;

        /// <summary>The file path: <c>shop.orders</c> + <c>order_events</c> → <c>shop/orders/order_events.proto</c>.</summary>
        public static string FileName(string package, string snakeBaseName) =>
            package.Length == 0 ? snakeBaseName + ".proto" : package.Replace('.', '/') + "/" + snakeBaseName + ".proto";

        public static bool IsValidPackage(string package)
        {
            if (package.Length == 0)
            {
                return true;
            }

            foreach (string part in package.Split('.'))
            {
                if (!IsIdentifier(part))
                {
                    return false;
                }
            }

            return true;
        }

        public static bool IsIdentifier(string s)
        {
            if (s.Length == 0 || !(IsAsciiLetter(s[0]) || s[0] == '_'))
            {
                return false;
            }

            foreach (char c in s)
            {
                if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_'))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
