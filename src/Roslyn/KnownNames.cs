// Linked into KafkaTyped.Generators and KafkaTyped.Analyzers: the one place that names the Framework's
// marker types, so the Roslyn parts never reference src/Framework (that would load Confluent.Kafka into the compiler).
namespace KafkaTyped.Roslyn
{
    public static class KnownNames
    {
        public const string Namespace = "KafkaTyped";

        public const string KafkaMessageAttribute = "KafkaTyped.KafkaMessageAttribute";
        public const string FieldAttribute = "KafkaTyped.FieldAttribute";
        public const string KeyAttribute = "KafkaTyped.KeyAttribute";
        public const string ReservedAttribute = "KafkaTyped.ReservedAttribute";
        public const string ProtoPackageAttribute = "KafkaTyped.ProtoPackageAttribute";
        public const string TopicAttribute = "KafkaTyped.TopicAttribute";
        public const string ConsumerGroupAttribute = "KafkaTyped.ConsumerGroupAttribute";
        public const string ReplicatedCacheAttribute = "KafkaTyped.ReplicatedCacheAttribute";

        public const string HandlerInterface = "KafkaTyped.IHandle`1";
        public const string BatchHandlerInterface = "KafkaTyped.IHandleBatch`1";
        public const string MessageBatch = "KafkaTyped.MessageBatch`1";
        public const string MessageContext = "KafkaTyped.MessageContext";
        public const string ReplicatedCacheBase = "KafkaTyped.Cache.ReplicatedCache`2";
        public const string IntegerEncodingEnum = "KafkaTyped.IntegerEncoding";

        public const string GeneratorName = "KafkaTyped.Generators";
    }
}
