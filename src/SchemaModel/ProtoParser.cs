using System.Globalization;
using System.Text;

namespace KafkaTyped.SchemaModel
{
    /// <summary>A <c>.proto</c> text could not be parsed.</summary>
    internal sealed class ProtoParseException : Exception
    {
        public ProtoParseException(string message, int line, int column)
            : base(message + " (line " + line.ToString(CultureInfo.InvariantCulture) + ", column " + column.ToString(CultureInfo.InvariantCulture) + ")")
        {
            Line = line;
            Column = column;
        }

        public int Line { get; }

        public int Column { get; }
    }

    /// <summary>
    /// Parses proto2/proto3 <c>.proto</c> text into a <see cref="ProtoFileModel"/>: package, imports, messages (fields,
    /// maps, oneofs, reserved, nested types), enums. Services, extensions and options' meaning are skipped; option
    /// text is kept raw for the canonical form. Type references are resolved to full names within the file.
    /// </summary>
    internal static class ProtoParser
    {
        public static ProtoFileModel Parse(string text) => Parse(text, null);

        /// <summary>Parses and resolves type references against the file and its (already parsed) imports.</summary>
        public static ProtoFileModel Parse(string text, IEnumerable<ProtoFileModel>? dependencies)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var reader = new TokenReader(text);
            var file = new ProtoFileModel();
            var sawSyntax = false;
            while (!reader.AtEnd)
            {
                var token = reader.Next();
                switch (token.Text)
                {
                    case ";":
                        break;
                    case "syntax":
                    case "edition":
                        reader.Expect("=");
                        file.Syntax = token.Text == "edition" ? "proto3" : reader.ExpectString();
                        reader.Expect(";");
                        sawSyntax = true;
                        break;
                    case "package":
                        file.Package = reader.ExpectFullIdentifier();
                        reader.Expect(";");
                        break;
                    case "import":
                        if (reader.Peek().Text == "public" || reader.Peek().Text == "weak")
                        {
                            reader.Next();
                        }

                        file.Imports.Add(reader.ExpectString());
                        reader.Expect(";");
                        break;
                    case "option":
                        file.Options.Add(reader.ReadRawUntil(";"));
                        break;
                    case "message":
                        file.Messages.Add(ParseMessage(reader, file, Prefix(file.Package)));
                        break;
                    case "enum":
                        file.Enums.Add(ParseEnum(reader, Prefix(file.Package)));
                        break;
                    case "service":
                    case "extend":
                        reader.SkipDeclarationWithBody();
                        break;
                    default:
                        throw reader.Error("Unexpected '" + token.Text + "' at file level", token);
                }
            }

            if (!sawSyntax)
            {
                file.Syntax = "proto2";
            }

            TypeResolver.Resolve(file, dependencies);
            return file;
        }

        private static string Prefix(string scope) => scope.Length == 0 ? string.Empty : scope + ".";

        private static ProtoMessageModel ParseMessage(TokenReader reader, ProtoFileModel file, string prefix)
        {
            var name = reader.ExpectIdentifier();
            var message = new ProtoMessageModel(name, prefix + name);
            reader.Expect("{");
            ParseMessageBody(reader, file, message, null);
            return message;
        }

        private static void ParseMessageBody(TokenReader reader, ProtoFileModel file, ProtoMessageModel message, string? oneof)
        {
            while (true)
            {
                var token = reader.Next();
                switch (token.Text)
                {
                    case "}":
                        return;
                    case ";":
                        continue;
                    case "message" when oneof == null:
                        message.Messages.Add(ParseMessage(reader, file, message.FullName + "."));
                        continue;
                    case "enum" when oneof == null:
                        message.Enums.Add(ParseEnum(reader, message.FullName + "."));
                        continue;
                    case "option":
                        var option = reader.ReadRawUntil(";");
                        if (oneof == null)
                        {
                            message.Options.Add(option);
                        }

                        continue;
                    case "reserved" when oneof == null:
                        ParseReserved(reader, message);
                        continue;
                    case "extensions" when oneof == null:
                        reader.ReadRawUntil(";");
                        continue;
                    case "extend" when oneof == null:
                        reader.SkipDeclarationWithBody();
                        continue;
                    case "oneof" when oneof == null:
                        var oneofName = reader.ExpectIdentifier();
                        reader.Expect("{");
                        message.Oneofs.Add(oneofName);
                        ParseMessageBody(reader, file, message, oneofName);
                        continue;
                    case "map":
                        if (reader.Peek().Text == "<")
                        {
                            message.Fields.Add(ParseMapField(reader, oneof));
                            continue;
                        }

                        break;
                }

                if (token.Kind == TokenKind.Symbol)
                {
                    throw reader.Error("Unexpected '" + token.Text + "' in message " + message.FullName, token);
                }

                message.Fields.Add(ParseField(reader, token, oneof, message));
            }
        }

        private static ProtoFieldModel ParseField(TokenReader reader, Token first, string? oneof, ProtoMessageModel message)
        {
            var label = ProtoLabel.None;
            var typeToken = first;
            switch (first.Text)
            {
                case "optional":
                    label = ProtoLabel.Optional;
                    typeToken = reader.Next();
                    break;
                case "required":
                    label = ProtoLabel.Required;
                    typeToken = reader.Next();
                    break;
                case "repeated":
                    label = ProtoLabel.Repeated;
                    typeToken = reader.Next();
                    break;
            }

            if (typeToken.Text == "group")
            {
                throw reader.Error("proto2 groups are not supported", typeToken);
            }

            string type;
            if (typeToken.Text == "." && typeToken.Kind == TokenKind.Symbol)
            {
                type = "." + reader.ContinueFullIdentifier(reader.ExpectIdentifier());
            }
            else if (typeToken.Kind != TokenKind.Identifier)
            {
                throw reader.Error("Expected a field type in message " + message.FullName, typeToken);
            }
            else
            {
                type = reader.ContinueFullIdentifier(typeToken.Text);
            }

            var name = reader.ExpectIdentifier();
            reader.Expect("=");
            var number = reader.ExpectInteger();
            var field = new ProtoFieldModel(name, number, label, type) { Oneof = oneof };
            field.Kind = ProtoScalars.IsScalar(type) ? ProtoTypeKind.Scalar : ProtoTypeKind.Message;
            ParseFieldOptions(reader, field);
            return field;
        }

        private static ProtoFieldModel ParseMapField(TokenReader reader, string? oneof)
        {
            reader.Expect("<");
            var key = reader.ExpectFullIdentifier();
            reader.Expect(",");
            var value = reader.ExpectFullIdentifier();
            reader.Expect(">");
            var name = reader.ExpectIdentifier();
            reader.Expect("=");
            var number = reader.ExpectInteger();
            var field = new ProtoFieldModel(name, number, ProtoLabel.None, "map")
            {
                Kind = ProtoTypeKind.Map,
                MapKeyType = key,
                MapValueType = value,
                Oneof = oneof,
            };
            ParseFieldOptions(reader, field);
            return field;
        }

        private static void ParseFieldOptions(TokenReader reader, ProtoFieldModel field)
        {
            if (reader.Peek().Text == "[")
            {
                reader.Next();
                var raw = reader.ReadRawUntil("]");
                foreach (var part in SplitTopLevel(raw))
                {
                    field.Options.Add(part);
                }
            }

            reader.Expect(";");
        }

        private static void ParseReserved(TokenReader reader, ProtoMessageModel message)
        {
            while (true)
            {
                var token = reader.Next();
                if (token.Kind == TokenKind.String)
                {
                    message.ReservedNames.Add(token.Text);
                }
                else if (token.Kind == TokenKind.Number)
                {
                    var start = ToInt(reader, token);
                    var end = start;
                    if (reader.Peek().Text == "to")
                    {
                        reader.Next();
                        var endToken = reader.Next();
                        end = endToken.Text == "max" ? 536870911 : ToInt(reader, endToken);
                    }

                    message.ReservedRanges.Add(new ProtoRange(start, end));
                }
                else if (token.Kind == TokenKind.Identifier)
                {
                    // Editions write reserved names as bare identifiers.
                    message.ReservedNames.Add(token.Text);
                }
                else
                {
                    throw reader.Error("Expected a number or a name in reserved", token);
                }

                var separator = reader.Next();
                if (separator.Text == ";")
                {
                    return;
                }

                if (separator.Text != ",")
                {
                    throw reader.Error("Expected ',' or ';' in reserved", separator);
                }
            }
        }

        private static ProtoEnumModel ParseEnum(TokenReader reader, string prefix)
        {
            var name = reader.ExpectIdentifier();
            var model = new ProtoEnumModel(name, prefix + name);
            reader.Expect("{");
            while (true)
            {
                var token = reader.Next();
                switch (token.Text)
                {
                    case "}":
                        return model;
                    case ";":
                        continue;
                    case "option":
                        model.Options.Add(reader.ReadRawUntil(";"));
                        continue;
                    case "reserved":
                        reader.ReadRawUntil(";");
                        continue;
                }

                if (token.Kind != TokenKind.Identifier)
                {
                    throw reader.Error("Expected an enum value name in enum " + model.FullName, token);
                }

                reader.Expect("=");
                var negative = reader.Peek().Text == "-";
                if (negative)
                {
                    reader.Next();
                }

                var number = reader.ExpectInteger();
                model.Values.Add(new KeyValuePair<string, int>(token.Text, negative ? -number : number));
                if (reader.Peek().Text == "[")
                {
                    reader.Next();
                    reader.ReadRawUntil("]");
                }

                reader.Expect(";");
            }
        }

        private static int ToInt(TokenReader reader, Token token)
        {
            if (token.Kind != TokenKind.Number || !TryParseInteger(token.Text, out var value))
            {
                throw reader.Error("Expected an integer", token);
            }

            return value;
        }

        internal static bool TryParseInteger(string text, out int value)
        {
            value = 0;
            long parsed;
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out parsed))
                {
                    return false;
                }
            }
            else if (text.Length > 1 && text[0] == '0')
            {
                parsed = 0;
                foreach (var c in text.Substring(1))
                {
                    if (c < '0' || c > '7')
                    {
                        return false;
                    }

                    parsed = (parsed * 8) + (c - '0');
                    if (parsed > int.MaxValue)
                    {
                        return false;
                    }
                }
            }
            else if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out parsed))
            {
                return false;
            }

            if (parsed > int.MaxValue)
            {
                return false;
            }

            value = (int)parsed;
            return true;
        }

        private static IEnumerable<string> SplitTopLevel(string raw)
        {
            var depth = 0;
            var start = 0;
            var inString = false;
            for (var i = 0; i < raw.Length; i++)
            {
                var c = raw[i];
                if (c == '"')
                {
                    inString = !inString;
                }
                else if (!inString && (c == '{' || c == '('))
                {
                    depth++;
                }
                else if (!inString && (c == '}' || c == ')'))
                {
                    depth--;
                }
                else if (!inString && depth == 0 && c == ',')
                {
                    yield return raw.Substring(start, i - start).Trim();
                    start = i + 1;
                }
            }

            var last = raw.Substring(start).Trim();
            if (last.Length > 0)
            {
                yield return last;
            }
        }

        internal enum TokenKind
        {
            Identifier,
            Number,
            String,
            Symbol,
            End,
        }

        internal readonly struct Token
        {
            public Token(TokenKind kind, string text, int line, int column)
            {
                Kind = kind;
                Text = text;
                Line = line;
                Column = column;
            }

            public TokenKind Kind { get; }

            public string Text { get; }

            public int Line { get; }

            public int Column { get; }
        }

        private sealed class TokenReader
        {
            private readonly List<Token> tokens;
            private int position;

            public TokenReader(string text)
            {
                tokens = Tokenize(text);
            }

            public bool AtEnd => tokens[position].Kind == TokenKind.End;

            public Token Peek() => tokens[position];

            public Token Next()
            {
                var token = tokens[position];
                if (token.Kind == TokenKind.End)
                {
                    throw Error("Unexpected end of file", token);
                }

                position++;
                return token;
            }

            public void Expect(string symbol)
            {
                var token = Next();
                if (token.Text != symbol || token.Kind == TokenKind.String)
                {
                    throw Error("Expected '" + symbol + "' but found '" + token.Text + "'", token);
                }
            }

            public string ExpectString()
            {
                var token = Next();
                if (token.Kind != TokenKind.String)
                {
                    throw Error("Expected a string literal", token);
                }

                // Adjacent string literals concatenate.
                var text = token.Text;
                while (Peek().Kind == TokenKind.String)
                {
                    text += Next().Text;
                }

                return text;
            }

            public string ExpectIdentifier()
            {
                var token = Next();
                if (token.Kind != TokenKind.Identifier)
                {
                    throw Error("Expected a name but found '" + token.Text + "'", token);
                }

                return token.Text;
            }

            public string ExpectFullIdentifier()
            {
                var token = Next();
                if (token.Text == ".")
                {
                    return "." + ContinueFullIdentifier(ExpectIdentifier());
                }

                if (token.Kind != TokenKind.Identifier)
                {
                    throw Error("Expected a name but found '" + token.Text + "'", token);
                }

                return ContinueFullIdentifier(token.Text);
            }

            public string ContinueFullIdentifier(string first)
            {
                var builder = new StringBuilder(first);
                while (Peek().Text == "." && Peek().Kind == TokenKind.Symbol)
                {
                    Next();
                    builder.Append('.').Append(ExpectIdentifier());
                }

                return builder.ToString();
            }

            public int ExpectInteger()
            {
                var token = Next();
                return ToInt(this, token);
            }

            /// <summary>Reads tokens up to the terminator (consumed, not included) and returns them joined as text.</summary>
            public string ReadRawUntil(string terminator)
            {
                var builder = new StringBuilder();
                var depth = 0;
                while (true)
                {
                    var token = Next();
                    if (depth == 0 && token.Kind == TokenKind.Symbol && token.Text == terminator)
                    {
                        return builder.ToString();
                    }

                    if (token.Kind == TokenKind.Symbol && (token.Text == "{" || token.Text == "["))
                    {
                        depth++;
                    }
                    else if (token.Kind == TokenKind.Symbol && (token.Text == "}" || token.Text == "]"))
                    {
                        depth--;
                    }

                    if (builder.Length > 0 && NeedsSpace(builder[builder.Length - 1], token))
                    {
                        builder.Append(' ');
                    }

                    builder.Append(token.Kind == TokenKind.String ? Quote(token.Text) : token.Text);
                }
            }

            public void SkipDeclarationWithBody()
            {
                var depth = 0;
                while (true)
                {
                    var token = Next();
                    if (token.Kind != TokenKind.Symbol)
                    {
                        continue;
                    }

                    if (token.Text == "{")
                    {
                        depth++;
                    }
                    else if (token.Text == "}")
                    {
                        depth--;
                        if (depth == 0)
                        {
                            return;
                        }
                    }
                    else if (token.Text == ";" && depth == 0)
                    {
                        return;
                    }
                }
            }

            public ProtoParseException Error(string message, Token token) => new ProtoParseException(message, token.Line, token.Column);

            private static bool NeedsSpace(char previous, Token token)
            {
                if (token.Kind == TokenKind.Symbol)
                {
                    return token.Text == "=" || token.Text == "{";
                }

                return previous != '(' && previous != '.' && previous != '[';
            }

            private static List<Token> Tokenize(string text)
            {
                var result = new List<Token>();
                var i = 0;
                var line = 1;
                var lineStart = 0;
                while (i < text.Length)
                {
                    var c = text[i];
                    if (c == '\n')
                    {
                        line++;
                        lineStart = i + 1;
                        i++;
                        continue;
                    }

                    if (char.IsWhiteSpace(c))
                    {
                        i++;
                        continue;
                    }

                    var column = i - lineStart + 1;
                    if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                    {
                        while (i < text.Length && text[i] != '\n')
                        {
                            i++;
                        }

                        continue;
                    }

                    if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
                    {
                        var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                        if (end < 0)
                        {
                            throw new ProtoParseException("Unterminated block comment", line, column);
                        }

                        for (var k = i; k < end; k++)
                        {
                            if (text[k] == '\n')
                            {
                                line++;
                                lineStart = k + 1;
                            }
                        }

                        i = end + 2;
                        continue;
                    }

                    if (char.IsLetter(c) || c == '_')
                    {
                        var start = i;
                        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                        {
                            i++;
                        }

                        result.Add(new Token(TokenKind.Identifier, text.Substring(start, i - start), line, column));
                        continue;
                    }

                    if (char.IsDigit(c))
                    {
                        var start = i;
                        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.' || ((text[i] == '+' || text[i] == '-') && (text[i - 1] == 'e' || text[i - 1] == 'E'))))
                        {
                            i++;
                        }

                        result.Add(new Token(TokenKind.Number, text.Substring(start, i - start), line, column));
                        continue;
                    }

                    if (c == '"' || c == '\'')
                    {
                        var builder = new StringBuilder();
                        i++;
                        while (true)
                        {
                            if (i >= text.Length || text[i] == '\n')
                            {
                                throw new ProtoParseException("Unterminated string literal", line, column);
                            }

                            var ch = text[i];
                            if (ch == c)
                            {
                                i++;
                                break;
                            }

                            if (ch == '\\' && i + 1 < text.Length)
                            {
                                builder.Append(ch).Append(text[i + 1]);
                                i += 2;
                                continue;
                            }

                            builder.Append(ch);
                            i++;
                        }

                        result.Add(new Token(TokenKind.String, builder.ToString(), line, column));
                        continue;
                    }

                    result.Add(new Token(TokenKind.Symbol, c.ToString(), line, column));
                    i++;
                }

                result.Add(new Token(TokenKind.End, "<end of file>", line, i - lineStart + 1));
                return result;
            }
        }

        internal static string Quote(string value) => "\"" + value + "\"";
    }
}
