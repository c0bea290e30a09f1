namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>
    /// Consumer group id rules. Kafka itself accepts any non-empty string, but ids with whitespace or control
    /// characters break tooling (kafka-consumer-groups, ACL patterns) and very long ids bloat __consumer_offsets keys.
    /// </summary>
    internal static class ConsumerGroupIdRules
    {
        public const int MaxLength = 255;

        /// <summary>Returns why <paramref name="id"/> is not a valid consumer group id, or null when it is.</summary>
        public static string? Validate(string? id)
        {
            if (id is null || id.Length == 0)
            {
                return "a consumer group id cannot be empty";
            }

            if (id.Length > MaxLength)
            {
                return "it has " + id.Length + " characters, at most " + MaxLength + " are allowed";
            }

            foreach (var c in id)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    return "it contains whitespace or a control character";
                }
            }

            return null;
        }

        /// <summary>A group id for a handler class: its name in kebab-case (<c>OrderBilling</c> → <c>order-billing</c>).</summary>
        public static string Suggest(string typeName) => KafkaTyped.Roslyn.Model.ProtoNaming.ToSnakeCase(typeName).Replace('_', '-');

        /// <summary>The form under which two ids count as the same group when looking for duplicates.</summary>
        public static string Normalize(string id) => id.ToLowerInvariant();
    }
}
