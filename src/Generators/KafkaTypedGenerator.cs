using Microsoft.CodeAnalysis;

namespace KafkaTyped.Generators
{
    /// <summary>
    /// The KafkaTyped source generator: Protobuf codecs and schemas for <c>[KafkaMessage]</c> records, producers,
    /// dispatch loops and caches. Stays silent on invalid input; KafkaTyped.Analyzers reports it.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class KafkaTypedGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
        }
    }
}
