namespace KafkaTyped.Roslyn.Diagnostics
{
    public static class DiagnosticCategories
    {
        public const string Messages = "KafkaTyped.Messages";
        public const string Topics = "KafkaTyped.Topics";
        public const string Handlers = "KafkaTyped.Handlers";
        public const string SchemaEvolution = "KafkaTyped.SchemaEvolution";
        public const string Hosting = "KafkaTyped.Hosting";
    }
}
