namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>Kafka's topic-name rule (<c>org.apache.kafka.common.internals.Topic.validate</c>), for message sets and replicated caches alike.</summary>
    public static class TopicNames
    {
        public const int MaxLength = 249;

        /// <summary>1 to 249 characters of [a-zA-Z0-9._-], not '.' or '..'.</summary>
        public static bool IsValid(string name)
        {
            if (name.Length == 0 || name.Length > MaxLength || name == "." || name == "..")
            {
                return false;
            }

            foreach (char c in name)
            {
                if (!IsLegalCharacter(c))
                {
                    return false;
                }
            }

            return true;
        }

        public static bool IsLegalCharacter(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    }
}
