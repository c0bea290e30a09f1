using KafkaTyped.Generators.Model;
using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>
    /// The <c>AddKafkaTyped</c> lines that register what <c>[Topic]</c> attributes declare about producing
    /// (<c>KafkaTyped.GeneratedCode.TopicDeclaration</c>); the runtime merges them with <c>KafkaTyped:Topics:{topic}</c>.
    /// </summary>
    internal static class ProducerOptionsEmitter
    {
        private static readonly string[] AcksNames = { "Default", "None", "Leader", "All" };
        private static readonly string[] PartitionerNames = { "Default", "Murmur2", "ConsistentRandom", "Random" };

        public static void TopicDeclarations(SourceWriter w, WiringModel model)
        {
            foreach (TopicProducerModel t in model.TopicOptions)
            {
                string idempotence = t.Idempotence < 0 ? "null" : t.Idempotence == 1 ? "true" : "false";
                w.Line("global::Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, new global::KafkaTyped.GeneratedCode.TopicDeclaration(");
                w.Line($"    {SourceWriter.Literal(t.Topic)}, global::KafkaTyped.TopicAcks.{AcksNames[t.Acks]}, global::KafkaTyped.TopicPartitioner.{PartitionerNames[t.Partitioner]}, {idempotence}));");
            }
        }
    }
}
