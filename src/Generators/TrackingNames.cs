namespace KafkaTyped.Generators
{
    /// <summary>Names of the tracked pipeline steps, asserted by the incrementality tests.</summary>
    internal static class TrackingNames
    {
        public const string MessageModel = nameof(MessageModel);
        public const string ValidMessages = nameof(ValidMessages);
        public const string SetModel = nameof(SetModel);
        public const string ValidSets = nameof(ValidSets);
        public const string AllMessages = nameof(AllMessages);
        public const string SetFile = nameof(SetFile);
        public const string Registry = nameof(Registry);
        public const string Producer = nameof(Producer);
        public const string ConsumerGroupModel = nameof(ConsumerGroupModel);
        public const string ValidConsumerGroups = nameof(ValidConsumerGroups);
        public const string CacheModel = nameof(CacheModel);
        public const string ValidCaches = nameof(ValidCaches);
        public const string CompilationFacts = nameof(CompilationFacts);
        public const string Wiring = nameof(Wiring);
        public const string Diagnostics = nameof(Diagnostics);
        public const string TopicProducerOptions = nameof(TopicProducerOptions);
    }
}
