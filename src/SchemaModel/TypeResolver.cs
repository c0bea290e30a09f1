namespace KafkaTyped.SchemaModel
{
    /// <summary>
    /// Resolves the type names written in fields to full names (Protobuf scoping: innermost scope first, then outwards,
    /// a leading dot is absolute) and marks each field message or enum. Names found nowhere keep their written form
    /// (leading dot dropped) and count as messages: imported files are not always at hand.
    /// </summary>
    internal static class TypeResolver
    {
        public static void Resolve(ProtoFileModel file, IEnumerable<ProtoFileModel>? dependencies)
        {
            var known = new Dictionary<string, ProtoTypeKind>(StringComparer.Ordinal);
            Collect(file, known);
            if (dependencies != null)
            {
                foreach (var dependency in dependencies)
                {
                    Collect(dependency, known);
                }
            }

            foreach (var message in file.Messages)
            {
                ResolveMessage(message, known);
            }
        }

        public static void Collect(ProtoFileModel file, Dictionary<string, ProtoTypeKind> known)
        {
            foreach (var message in file.Messages)
            {
                CollectMessage(message, known);
            }

            foreach (var e in file.Enums)
            {
                known[e.FullName] = ProtoTypeKind.Enum;
            }
        }

        private static void CollectMessage(ProtoMessageModel message, Dictionary<string, ProtoTypeKind> known)
        {
            known[message.FullName] = ProtoTypeKind.Message;
            foreach (var nested in message.Messages)
            {
                CollectMessage(nested, known);
            }

            foreach (var e in message.Enums)
            {
                known[e.FullName] = ProtoTypeKind.Enum;
            }
        }

        private static void ResolveMessage(ProtoMessageModel message, Dictionary<string, ProtoTypeKind> known)
        {
            foreach (var field in message.Fields)
            {
                if (field.Kind == ProtoTypeKind.Map)
                {
                    if (!ProtoScalars.IsScalar(field.MapValueType ?? string.Empty))
                    {
                        field.MapValueType = Lookup(field.MapValueType ?? string.Empty, message.FullName, known, out _);
                    }

                    continue;
                }

                if (field.Kind == ProtoTypeKind.Scalar)
                {
                    continue;
                }

                field.Type = Lookup(field.Type, message.FullName, known, out var kind);
                field.Kind = kind;
            }

            foreach (var nested in message.Messages)
            {
                ResolveMessage(nested, known);
            }
        }

        private static string Lookup(string name, string scope, Dictionary<string, ProtoTypeKind> known, out ProtoTypeKind kind)
        {
            if (name.StartsWith(".", StringComparison.Ordinal))
            {
                var absolute = name.Substring(1);
                kind = known.TryGetValue(absolute, out var k) ? k : ProtoTypeKind.Message;
                return absolute;
            }

            var current = scope;
            while (true)
            {
                var candidate = current.Length == 0 ? name : current + "." + name;
                if (known.TryGetValue(candidate, out var found))
                {
                    kind = found;
                    return candidate;
                }

                if (current.Length == 0)
                {
                    break;
                }

                var dot = current.LastIndexOf('.');
                current = dot < 0 ? string.Empty : current.Substring(0, dot);
            }

            kind = ProtoTypeKind.Message;
            return name;
        }
    }
}
