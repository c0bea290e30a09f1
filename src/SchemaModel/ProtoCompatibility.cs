using System.Globalization;

namespace KafkaTyped.SchemaModel
{
    /// <summary>One difference between two versions of a schema, named as in Confluent's protobuf diff.</summary>
    internal sealed class SchemaDifference
    {
        public SchemaDifference(string kind, bool isCompatible, string path, string description)
        {
            Kind = kind;
            IsCompatible = isCompatible;
            Path = path;
            Description = description;
        }

        /// <summary>For example <c>FIELD_SCALAR_KIND_CHANGED</c>.</summary>
        public string Kind { get; }

        public bool IsCompatible { get; }

        /// <summary>The message or field concerned, for example <c>shop.Order.qty</c>.</summary>
        public string Path { get; }

        public string Description { get; }

        public override string ToString() => Kind + " at " + Path + ": " + Description;
    }

    /// <summary>
    /// Protobuf schema compatibility, as Confluent's Schema Registry judges it (PROTOCOLS.md §2): fields matched by
    /// number, scalar changes allowed within a wire group, removed messages, kind and named-type changes, label changes
    /// and oneof moves rejected. <see cref="Compare"/> answers "can a reader with <c>update</c> read data written with
    /// <c>original</c>" (Confluent's <c>SchemaDiff.compare(original, update)</c>); BACKWARD runs it as
    /// <c>Compare(latest, proposed)</c>, FORWARD as <c>Compare(proposed, latest)</c>.
    /// </summary>
    /// <remarks>
    /// <c>strict</c> adds KafkaTyped's own rules on top of Confluent's: a proto3 implicit field turned
    /// repeated (or back) and a new field on a number the original reserved are incompatible.
    /// </remarks>
    internal static class ProtoCompatibility
    {
        public static List<SchemaDifference> Compare(ProtoFileModel original, ProtoFileModel update, bool strict = true)
        {
            var differences = new List<SchemaDifference>();
            if (!string.Equals(original.Package, update.Package, StringComparison.Ordinal))
            {
                differences.Add(new SchemaDifference("PACKAGE_CHANGED", true, update.Package, "package changed from '" + original.Package + "'"));
            }

            var originalMessages = new Dictionary<string, ProtoMessageModel>(StringComparer.Ordinal);
            var updateMessages = new Dictionary<string, ProtoMessageModel>(StringComparer.Ordinal);
            foreach (var message in original.Messages)
            {
                Collect(message, originalMessages, RelativeName(original.Package, message.FullName));
            }

            foreach (var message in update.Messages)
            {
                Collect(message, updateMessages, RelativeName(update.Package, message.FullName));
            }

            foreach (var pair in originalMessages)
            {
                if (!updateMessages.TryGetValue(pair.Key, out var updated))
                {
                    differences.Add(new SchemaDifference("MESSAGE_REMOVED", false, pair.Value.FullName, "message " + pair.Value.FullName + " was removed; data written with it can no longer be read"));
                    continue;
                }

                CompareMessage(pair.Value, updated, original, update, strict, differences);
            }

            foreach (var pair in updateMessages)
            {
                if (!originalMessages.ContainsKey(pair.Key))
                {
                    differences.Add(new SchemaDifference("MESSAGE_ADDED", true, pair.Value.FullName, "message added"));
                }
            }

            return differences;
        }

        /// <summary>Only the incompatible differences of <see cref="Compare"/>.</summary>
        public static List<SchemaDifference> Incompatibilities(ProtoFileModel original, ProtoFileModel update, bool strict = true)
        {
            var result = new List<SchemaDifference>();
            foreach (var difference in Compare(original, update, strict))
            {
                if (!difference.IsCompatible)
                {
                    result.Add(difference);
                }
            }

            return result;
        }

        private static void Collect(ProtoMessageModel message, Dictionary<string, ProtoMessageModel> into, string relativeName)
        {
            into[relativeName] = message;
            foreach (var nested in message.Messages)
            {
                Collect(nested, into, relativeName + "." + nested.Name);
            }
        }

        private static string RelativeName(string package, string fullName) =>
            package.Length > 0 && fullName.StartsWith(package + ".", StringComparison.Ordinal) ? fullName.Substring(package.Length + 1) : fullName;

        private static void CompareMessage(ProtoMessageModel original, ProtoMessageModel update, ProtoFileModel originalFile, ProtoFileModel updateFile, bool strict, List<SchemaDifference> differences)
        {
            var originalFields = new Dictionary<int, ProtoFieldModel>();
            var updateFields = new Dictionary<int, ProtoFieldModel>();
            foreach (var field in original.Fields)
            {
                originalFields[field.Number] = field;
            }

            foreach (var field in update.Fields)
            {
                updateFields[field.Number] = field;
            }

            var originalOneofs = new HashSet<string>(original.Oneofs, StringComparer.Ordinal);
            foreach (var pair in originalFields)
            {
                var before = pair.Value;
                var path = original.FullName + "." + before.Name + " (#" + pair.Key.ToString(CultureInfo.InvariantCulture) + ")";
                if (!updateFields.TryGetValue(pair.Key, out var after))
                {
                    if (before.Label == ProtoLabel.Required)
                    {
                        differences.Add(new SchemaDifference("REQUIRED_FIELD_REMOVED", false, path, "a required field was removed"));
                    }
                    else if (before.Oneof != null)
                    {
                        differences.Add(new SchemaDifference("ONEOF_FIELD_REMOVED", false, path, "a field was removed from oneof " + before.Oneof));
                    }
                    else
                    {
                        differences.Add(new SchemaDifference("FIELD_REMOVED", true, path, "field removed"));
                    }

                    continue;
                }

                CompareField(before, after, path, originalFile, updateFile, strict, differences);
            }

            foreach (var pair in updateFields)
            {
                if (originalFields.ContainsKey(pair.Key))
                {
                    continue;
                }

                var added = pair.Value;
                var path = update.FullName + "." + added.Name + " (#" + pair.Key.ToString(CultureInfo.InvariantCulture) + ")";
                if (added.Label == ProtoLabel.Required)
                {
                    differences.Add(new SchemaDifference("REQUIRED_FIELD_ADDED", false, path, "a required field was added"));
                }
                else if (strict && original.IsReserved(pair.Key))
                {
                    differences.Add(new SchemaDifference("RESERVED_FIELD_NUMBER_REUSED", false, path, "field number " + pair.Key.ToString(CultureInfo.InvariantCulture) + " is reserved in the earlier version (it belonged to a removed field; data written with it would be misread)"));
                }
                else if (added.Oneof != null && originalOneofs.Contains(added.Oneof))
                {
                    differences.Add(new SchemaDifference("ONEOF_FIELD_ADDED", true, path, "field added to oneof " + added.Oneof));
                }
                else
                {
                    differences.Add(new SchemaDifference("FIELD_ADDED", true, path, "field added"));
                }
            }

            // Several existing fields moved into one new oneof: old data may set more than one of them.
            foreach (var oneof in update.Oneofs)
            {
                if (originalOneofs.Contains(oneof))
                {
                    continue;
                }

                var moved = 0;
                foreach (var field in update.Fields)
                {
                    if (field.Oneof == oneof && originalFields.TryGetValue(field.Number, out var before) && before.Oneof == null)
                    {
                        moved++;
                    }
                }

                differences.Add(moved > 1
                    ? new SchemaDifference("MULTIPLE_FIELDS_MOVED_TO_ONEOF", false, update.FullName + "." + oneof, moved.ToString(CultureInfo.InvariantCulture) + " existing fields moved into oneof " + oneof)
                    : new SchemaDifference("ONEOF_ADDED", true, update.FullName + "." + oneof, "oneof added"));
            }

            foreach (var oneof in original.Oneofs)
            {
                if (!update.Oneofs.Contains(oneof))
                {
                    differences.Add(new SchemaDifference("ONEOF_REMOVED", true, original.FullName + "." + oneof, "oneof removed"));
                }
            }
        }

        private static void CompareField(ProtoFieldModel before, ProtoFieldModel after, string path, ProtoFileModel originalFile, ProtoFileModel updateFile, bool strict, List<SchemaDifference> differences)
        {
            if (!string.Equals(before.Name, after.Name, StringComparison.Ordinal))
            {
                differences.Add(new SchemaDifference("FIELD_NAME_CHANGED", true, path, "renamed to " + after.Name));
            }

            var beforeKind = KindGroup(before.Kind);
            var afterKind = KindGroup(after.Kind);
            if (beforeKind != afterKind)
            {
                differences.Add(new SchemaDifference("FIELD_KIND_CHANGED", false, path, "changed from " + Describe(before) + " to " + Describe(after)));
                return;
            }

            if (before.Kind == ProtoTypeKind.Map)
            {
                if (!string.Equals(before.MapKeyType, after.MapKeyType, StringComparison.Ordinal)
                    || !SameNamedType(before.MapValueType, after.MapValueType, originalFile, updateFile))
                {
                    differences.Add(new SchemaDifference("FIELD_NAMED_TYPE_CHANGED", false, path, "changed from " + Describe(before) + " to " + Describe(after)));
                }

                return;
            }

            if (beforeKind == 0)
            {
                // scalar or enum
                var beforeGroup = ProtoScalars.Group(before.Type, before.Kind);
                var afterGroup = ProtoScalars.Group(after.Type, after.Kind);
                if (beforeGroup != afterGroup)
                {
                    differences.Add(new SchemaDifference("FIELD_SCALAR_KIND_CHANGED", false, path, "changed from " + Describe(before) + " to " + Describe(after) + ", which is encoded differently on the wire"));
                    return;
                }

                if (before.Kind == ProtoTypeKind.Enum && after.Kind == ProtoTypeKind.Enum && !SameNamedType(before.Type, after.Type, originalFile, updateFile))
                {
                    differences.Add(new SchemaDifference("FIELD_NAMED_TYPE_CHANGED", false, path, "changed from enum " + before.Type + " to enum " + after.Type));
                    return;
                }
            }
            else if (!SameNamedType(before.Type, after.Type, originalFile, updateFile))
            {
                differences.Add(new SchemaDifference("FIELD_NAMED_TYPE_CHANGED", false, path, "changed from " + before.Type + " to " + after.Type));
                return;
            }

            CompareLabels(before, after, path, strict, differences);
        }

        private static void CompareLabels(ProtoFieldModel before, ProtoFieldModel after, string path, bool strict, List<SchemaDifference> differences)
        {
            if (before.Label == after.Label)
            {
                return;
            }

            var repeatedChanged = (before.Label == ProtoLabel.Repeated) != (after.Label == ProtoLabel.Repeated);
            if (before.Label != ProtoLabel.None && after.Label != ProtoLabel.None)
            {
                if (!repeatedChanged)
                {
                    return;
                }

                if (before.Kind == ProtoTypeKind.Scalar && (before.Type == "string" || before.Type == "bytes"))
                {
                    differences.Add(new SchemaDifference("FIELD_STRING_OR_BYTES_LABEL_CHANGED", true, path, "label changed from " + before.Label + " to " + after.Label));
                }
                else
                {
                    differences.Add(new SchemaDifference("FIELD_NUMERIC_LABEL_CHANGED", false, path, "label changed from " + before.Label + " to " + after.Label));
                }

                return;
            }

            // Confluent compares labels only when both are explicit; a proto3 implicit field turned repeated slips through.
            if (strict && repeatedChanged)
            {
                differences.Add(new SchemaDifference("FIELD_LABEL_CHANGED", false, path, (after.Label == ProtoLabel.Repeated ? "a singular field became repeated" : "a repeated field became singular") + " (KafkaTyped rule; Confluent's registry does not check implicit labels)"));
            }
        }

        private static int KindGroup(ProtoTypeKind kind) => kind == ProtoTypeKind.Message ? 1 : kind == ProtoTypeKind.Map ? 2 : 0;

        private static bool SameNamedType(string? before, string? after, ProtoFileModel originalFile, ProtoFileModel updateFile)
        {
            if (string.Equals(before, after, StringComparison.Ordinal))
            {
                return true;
            }

            // A package rename moves every local type; compare them relative to their packages.
            return before != null && after != null
                && string.Equals(RelativeName(originalFile.Package, before), RelativeName(updateFile.Package, after), StringComparison.Ordinal)
                && !string.Equals(originalFile.Package, updateFile.Package, StringComparison.Ordinal);
        }

        private static string Describe(ProtoFieldModel field) => field.Kind == ProtoTypeKind.Map
            ? "map<" + field.MapKeyType + ", " + field.MapValueType + ">"
            : (field.Kind == ProtoTypeKind.Enum ? "enum " : string.Empty) + field.Type;
    }
}
