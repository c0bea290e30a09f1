using System.Globalization;
using System.Text;

namespace KafkaTyped.SchemaModel
{
    /// <summary>
    /// The schema of a replicated cache's operations, defined once: <c>Added { V value = 1; }</c>,
    /// <c>Updated { V value = 1; }</c> and <c>Deleted { }</c>, in that order (the order is the message index), in package
    /// <c>{value package}.{cache_name}</c>, file <c>{package as path}.proto</c>, importing the value's file.
    /// </summary>
    /// <remarks>
    /// The generator emits it into each <c>[ReplicatedCache]</c> class and the runtime registers it for the cache, so
    /// both must produce the same text, names and descriptor: one schema id in the registry, one byte format on the wire.
    /// Each side serializes the descriptor with its own writer (the generator cannot load Google.Protobuf); what the
    /// messages contain is decided only here.
    /// </remarks>
    internal static class CacheOperationsProto
    {
        public const string Added = nameof(Added);
        public const string Updated = nameof(Updated);
        public const string Deleted = nameof(Deleted);

        /// <summary>The one field of <see cref="Added"/> and <see cref="Updated"/>: the cache value.</summary>
        public const string ValueFieldName = "value";

        /// <summary>The number of <see cref="ValueFieldName"/>.</summary>
        public const int ValueFieldNumber = 1;

        /// <summary>The operation messages in message-index order.</summary>
        public static readonly string[] MessageNames = { Added, Updated, Deleted };

        /// <summary>Whether an operation message carries the value (<see cref="Deleted"/> carries nothing: a tombstone follows it).</summary>
        public static bool CarriesValue(string messageName) => messageName != Deleted;

        /// <summary>The operations' package: the value's package (when it has one) followed by the cache name in snake_case.</summary>
        public static string Package(string valuePackage, string cacheName) =>
            valuePackage.Length == 0 ? Snake(cacheName) : valuePackage + "." + Snake(cacheName);

        /// <summary>The operations' file: the package as a path.</summary>
        public static string FileName(string package) => package.Replace('.', '/') + ".proto";

        /// <summary>The <c>.proto</c> text of the operations of cache <paramref name="cacheName"/>.</summary>
        public static string Text(string cacheName, string package, string valueFileName, string valueFullName) =>
            "syntax = \"proto3\";\n"
            + "package " + package + ";\n"
            + "\n"
            + "import \"" + valueFileName + "\";\n"
            + "\n"
            + "// Operations of the replicated cache '" + cacheName + "'. The Kafka key is the cache key; the state is a\n"
            + "// function of the last record per key, so the compacted log and the full log give the same state.\n"
            + "message " + Added + " {\n"
            + "  " + valueFullName + " " + ValueFieldName + " = " + Number + ";\n"
            + "}\n"
            + "\n"
            + "message " + Updated + " {\n"
            + "  " + valueFullName + " " + ValueFieldName + " = " + Number + ";\n"
            + "}\n"
            + "\n"
            + "// Followed by a tombstone (null value) so that compaction can drop the key.\n"
            + "message " + Deleted + " {\n"
            + "}\n";

        private static string Number => ValueFieldNumber.ToString(CultureInfo.InvariantCulture);

        /// <summary>The snake_case Protobuf identifier for a cache name: PriceCache → price_cache, "prices-v2" → prices_v2.</summary>
        public static string Snake(string name)
        {
            var builder = new StringBuilder(name.Length + 4);
            if (name.Length == 0 || !IsAsciiLetter(name[0]))
            {
                builder.Append("cache_");
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9'))
                {
                    builder.Append('_');
                }
                else if (c >= 'A' && c <= 'Z')
                {
                    if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                    {
                        builder.Append('_');
                    }

                    builder.Append((char)(c + ('a' - 'A')));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
