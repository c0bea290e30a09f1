using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>
    /// Explains why a topic name breaks Kafka's rules (<c>org.apache.kafka.common.internals.Topic.validate</c>); whether it
    /// does is the generator's rule (<see cref="TopicNames.IsValid"/>).
    /// </summary>
    internal static class TopicNameRules
    {
        /// <summary>Returns why <paramref name="name"/> is not a valid topic name, or null when it is.</summary>
        public static string? Validate(string? name)
        {
            if (name is null || name.Length == 0)
            {
                return "a topic name cannot be empty";
            }

            if (TopicNames.IsValid(name))
            {
                return null;
            }

            if (name == "." || name == "..")
            {
                return "'.' and '..' are not allowed";
            }

            if (name.Length > TopicNames.MaxLength)
            {
                return "it has " + name.Length + " characters, at most " + TopicNames.MaxLength + " are allowed";
            }

            foreach (var c in name)
            {
                if (!TopicNames.IsLegalCharacter(c))
                {
                    return "the character '" + c + "' is not allowed, use only a-z, A-Z, 0-9, '.', '_' and '-'";
                }
            }

            return "it is not a valid topic name";
        }
    }
}
