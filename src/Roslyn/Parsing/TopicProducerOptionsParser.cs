using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>Reads the producer options of a <c>[Topic]</c> attribute (<c>Acks</c>, <c>Partitioner</c>, <c>EnableIdempotence</c>).</summary>
    public static class TopicProducerOptionsParser
    {
        public const string AcksArgument = "Acks";
        public const string PartitionerArgument = "Partitioner";
        public const string IdempotenceArgument = "EnableIdempotence";

        /// <summary>The options as written, valid or not (for the analyzers); null without a readable <c>[Topic]</c> attribute.</summary>
        public static TopicProducerModel? Read(INamedTypeSymbol type)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == KnownNames.TopicAttribute)
                {
                    return Read(attribute);
                }
            }

            return null;
        }

        /// <summary>The options of one <c>[Topic]</c> attribute; null when its topic name is not a constant string.</summary>
        public static TopicProducerModel? Read(AttributeData attribute)
        {
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string topic)
            {
                return null;
            }

            int acks = 0;
            int partitioner = 0;
            int idempotence = -1;
            foreach (var argument in attribute.NamedArguments)
            {
                switch (argument.Key)
                {
                    case AcksArgument when argument.Value.Value is int value:
                        acks = value;
                        break;
                    case PartitionerArgument when argument.Value.Value is int value:
                        partitioner = value;
                        break;
                    case IdempotenceArgument when argument.Value.Value is bool value:
                        idempotence = value ? 1 : 0;
                        break;
                }
            }

            return new TopicProducerModel(topic, acks, partitioner, idempotence);
        }

        /// <summary>What the generator registers: null when nothing is set or the options are invalid (the analyzers report them).</summary>
        public static TopicProducerModel? Parse(INamedTypeSymbol type)
        {
            TopicProducerModel? model = Read(type);
            return model is null || model.IsEmpty || !model.HasDefinedValues || model.IdempotenceConflicts || model.Topic.Trim().Length == 0 ? null : model;
        }
    }
}
