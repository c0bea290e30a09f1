using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace KafkaTyped.Analyzers.SchemaEvolution
{
    /// <summary>
    /// A minimal, forgiving <c>.proto</c> reader for the committed schema baseline: package, messages (nested ones are
    /// flattened into their parents' names), fields, maps, oneof members, reserved numbers and names, enum names.
    /// Options, imports, services and extensions are skipped. It never throws; a malformed file yields an error.
    /// </summary>
    /// <remarks>
    /// Kept inside the analyzers until src/Shared/Schema (the registry's full parser) is linked here; then this reader
    /// can be replaced by that parser's model.
    /// </remarks>
    internal sealed class BaselineProtoReader
    {
        private readonly List<(string Text, int Start)> _tokens;
        private readonly BaselineFile _file;
        private int _position;

        private BaselineProtoReader(string path, string text)
        {
            _file = new BaselineFile(path);
            _tokens = Tokenize(text);
        }

        /// <summary>Reads a file; <paramref name="error"/> says what is wrong when the file cannot be understood.</summary>
        public static BaselineFile Read(string path, string text, out string? error)
        {
            var reader = new BaselineProtoReader(path, text);
            error = reader.ReadFile();
            return reader._file;
        }

        private string? ReadFile()
        {
            while (_position < _tokens.Count)
            {
                var token = Next();
                switch (token)
                {
                    case "syntax":
                    case "edition":
                    case "import":
                    case "option":
                        SkipStatement();
                        break;
                    case "package":
                        var package = new StringBuilder();
                        while (_position < _tokens.Count && Peek() != ";")
                        {
                            package.Append(Next());
                        }

                        _file.Package = package.ToString();
                        Next();
                        break;
                    case "message":
                        var error = ReadMessage(prefix: null);
                        if (error is not null)
                        {
                            return error;
                        }

                        break;
                    case "enum":
                        _file.EnumNames.Add(Next());
                        SkipBlock();
                        break;
                    case ";":
                        break;
                    default:
                        // service, extend and anything newer: skip its statement or block.
                        SkipStatementOrBlock();
                        break;
                }
            }

            return null;
        }

        private string? ReadMessage(string? prefix)
        {
            var nameIndex = _position;
            var name = Next();
            if (!IsIdentifier(name) || Next() != "{")
            {
                return "expected a message name and '{' near '" + name + "'";
            }

            var message = new BaselineMessage(_file, prefix is null ? name : prefix + "." + name, Span(nameIndex));
            if (prefix is null)
            {
                _file.Messages.Add(message);
            }

            while (_position < _tokens.Count)
            {
                var token = Peek();
                switch (token)
                {
                    case "}":
                        Next();
                        return null;
                    case ";":
                        Next();
                        break;
                    case "option":
                    case "extensions":
                        SkipStatement();
                        break;
                    case "reserved":
                        Next();
                        ReadReserved(message);
                        break;
                    case "message":
                        Next();
                        var error = ReadMessage(message.Name);
                        if (error is not null)
                        {
                            return error;
                        }

                        break;
                    case "enum":
                        Next();
                        _file.EnumNames.Add(Next());
                        SkipBlock();
                        break;
                    case "oneof":
                        Next();
                        Next();
                        if (Next() != "{")
                        {
                            return "expected '{' after oneof";
                        }

                        while (_position < _tokens.Count && Peek() != "}")
                        {
                            if (Peek() == "option" || Peek() == ";")
                            {
                                SkipStatement();
                                continue;
                            }

                            var fieldError = ReadField(message);
                            if (fieldError is not null)
                            {
                                return fieldError;
                            }
                        }

                        Next();
                        break;
                    case "extend":
                        Next();
                        SkipStatementOrBlock();
                        break;
                    default:
                        var readError = ReadField(message);
                        if (readError is not null)
                        {
                            return readError;
                        }

                        break;
                }
            }

            return "message '" + message.Name + "' is not closed";
        }

        private string? ReadField(BaselineMessage message)
        {
            var label = FieldLabel.Singular;
            var token = Next();
            if (token == "repeated")
            {
                label = FieldLabel.Repeated;
                token = Next();
            }
            else if (token == "optional" || token == "required")
            {
                token = Next();
            }

            string type;
            string? mapKey = null;
            if (token == "map" && Peek() == "<")
            {
                Next();
                mapKey = Next();
                if (Next() != ",")
                {
                    return "expected ',' in map<K, V>";
                }

                type = Next();
                if (Next() != ">")
                {
                    return "expected '>' in map<K, V>";
                }

                label = FieldLabel.Map;
            }
            else
            {
                type = token;
            }

            var name = Next();
            if (Next() != "=" || !int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || !IsIdentifier(name))
            {
                return "cannot read the field '" + name + "' in message '" + message.Name + "'";
            }

            if (Peek() == "[")
            {
                while (_position < _tokens.Count && Next() != "]")
                {
                }
            }

            if (Next() != ";")
            {
                return "expected ';' after field '" + name + "'";
            }

            message.Fields.Add(new BaselineField(name, number, type, label, mapKey));
            return null;
        }

        private void ReadReserved(BaselineMessage message)
        {
            while (_position < _tokens.Count)
            {
                var token = Next();
                if (token == ";")
                {
                    return;
                }

                if (token == ",")
                {
                    continue;
                }

                if (token.Length > 1 && (token[0] == '"' || token[0] == '\''))
                {
                    message.ReservedNames.Add(token.Substring(1, token.Length - 2));
                    continue;
                }

                if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
                {
                    continue;
                }

                var end = start;
                if (Peek() == "to")
                {
                    Next();
                    var upper = Next();
                    end = upper == "max" ? int.MaxValue : int.TryParse(upper, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : start;
                }

                message.ReservedRanges.Add((start, end));
            }
        }

        private void SkipStatement()
        {
            while (_position < _tokens.Count && Next() != ";")
            {
            }
        }

        private void SkipStatementOrBlock()
        {
            while (_position < _tokens.Count)
            {
                var token = Next();
                if (token == ";")
                {
                    return;
                }

                if (token == "{")
                {
                    _position--;
                    SkipBlock();
                    return;
                }
            }
        }

        private void SkipBlock()
        {
            var depth = 0;
            while (_position < _tokens.Count)
            {
                var token = Next();
                if (token == "{")
                {
                    depth++;
                }
                else if (token == "}" && --depth <= 0)
                {
                    return;
                }
            }
        }

        private string Peek() => _position < _tokens.Count ? _tokens[_position].Text : string.Empty;

        private string Next() => _position < _tokens.Count ? _tokens[_position++].Text : string.Empty;

        private TextSpan Span(int index) => index < _tokens.Count ? new TextSpan(_tokens[index].Start, _tokens[index].Text.Length) : default;

        private static bool IsIdentifier(string text)
        {
            if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_'))
            {
                return false;
            }

            foreach (var c in text)
            {
                if (!(char.IsLetterOrDigit(c) || c == '_'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Identifiers (dotted names stay one token), numbers, quoted strings and single punctuation; comments dropped.</summary>
        private static List<(string Text, int Start)> Tokenize(string text)
        {
            var tokens = new List<(string, int)>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    var end = text.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                    i = end < 0 ? text.Length : end + 2;
                }
                else if (c == '"' || c == '\'')
                {
                    var start = i++;
                    while (i < text.Length && text[i] != c)
                    {
                        i += text[i] == '\\' ? 2 : 1;
                    }

                    i = System.Math.Min(i + 1, text.Length);
                    tokens.Add((text.Substring(start, i - start), start));
                }
                else if (char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+')
                {
                    var start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '.' || ((text[i] == '-' || text[i] == '+') && i == start)))
                    {
                        i++;
                    }

                    tokens.Add((text.Substring(start, i - start), start));
                }
                else
                {
                    tokens.Add((c.ToString(), i));
                    i++;
                }
            }

            return tokens;
        }
    }
}
