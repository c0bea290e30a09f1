using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Diagnostics
{
    /// <summary>The KafkaTyped diagnostic catalog: one descriptor per <see cref="DiagnosticIds"/> entry.</summary>
    public static class DiagnosticDescriptors
    {
        /// <summary>Where the <c>docs/diagnostics/KTnnnn.md</c> pages are published.</summary>
        public const string HelpLinkBase = "https://github.com/kafkatyped/kafkatyped/blob/main/docs/diagnostics/";

        // Compilation-end rules need this tag so IDEs know they only appear on a full build (RS1037).
        private static readonly string[] CompilationEnd = { WellKnownDiagnosticTags.CompilationEnd };

        /// <summary>The documentation page of a diagnostic ID.</summary>
        public static string HelpLink(string id) => HelpLinkBase + id + ".md";

        public static readonly DiagnosticDescriptor TypeMustBePartial = new DiagnosticDescriptor(
            DiagnosticIds.TypeMustBePartial,
            "KafkaTyped type must be partial",
            "'{0}' is marked [{1}] and must be declared 'partial' so KafkaTyped can generate its implementation",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The generator adds members to message records, message-set interfaces, consumer groups and caches; C# only allows that for partial types.",
            helpLinkUri: HelpLink(DiagnosticIds.TypeMustBePartial));

        public static readonly DiagnosticDescriptor MessageMustBeClassOrRecord = new DiagnosticDescriptor(
            DiagnosticIds.MessageMustBeClassOrRecord,
            "Message must be a top-level, concrete, non-generic record class",
            "Message '{0}' must be a top-level, non-generic, non-abstract record class: {1}",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A Protobuf message is one concrete wire shape implemented on a record (value equality, with-expressions); generic, abstract and nested types cannot be given one generated parser and descriptor.",
            helpLinkUri: HelpLink(DiagnosticIds.MessageMustBeClassOrRecord));

        public static readonly DiagnosticDescriptor ContainingTypeMustBePartial = new DiagnosticDescriptor(
            DiagnosticIds.ContainingTypeMustBePartial,
            "Type containing a KafkaTyped type must be partial",
            "'{0}' contains the KafkaTyped type '{1}' and must be declared 'partial'",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Generated code for a nested type is emitted inside its containing types, which therefore must all be partial.",
            helpLinkUri: HelpLink(DiagnosticIds.ContainingTypeMustBePartial));

        public static readonly DiagnosticDescriptor MissingFieldNumber = new DiagnosticDescriptor(
            DiagnosticIds.MissingFieldNumber,
            "Message member has no field number",
            "Member '{0}' of message '{1}' has no [Field(n)] number",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Field numbers are the wire contract and must be explicit and stable; KafkaTyped never derives them from declaration order.",
            helpLinkUri: HelpLink(DiagnosticIds.MissingFieldNumber));

        public static readonly DiagnosticDescriptor DuplicateFieldNumber = new DiagnosticDescriptor(
            DiagnosticIds.DuplicateFieldNumber,
            "Duplicate field number",
            "Field number {0} of message '{1}' is already used by '{2}'",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Each field of a Protobuf message needs its own number.",
            helpLinkUri: HelpLink(DiagnosticIds.DuplicateFieldNumber));

        public static readonly DiagnosticDescriptor FieldNumberOutOfRange = new DiagnosticDescriptor(
            DiagnosticIds.FieldNumberOutOfRange,
            "Field number out of range",
            "Field number {0} of '{1}' is invalid: use 1 to 536,870,911, except 19,000 to 19,999 (reserved by Protobuf)",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Protobuf field numbers are 29-bit positive integers and the range 19,000 to 19,999 belongs to the Protobuf implementation.",
            helpLinkUri: HelpLink(DiagnosticIds.FieldNumberOutOfRange));

        public static readonly DiagnosticDescriptor FieldNumberReserved = new DiagnosticDescriptor(
            DiagnosticIds.FieldNumberReserved,
            "Field number is reserved",
            "Field number {0} of '{1}' is listed in [Reserved] on message '{2}'",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A reserved number belonged to a removed field; reusing it makes old records decode into the wrong field.",
            helpLinkUri: HelpLink(DiagnosticIds.FieldNumberReserved));

        public static readonly DiagnosticDescriptor FieldNameReserved = new DiagnosticDescriptor(
            DiagnosticIds.FieldNameReserved,
            "Field name is reserved",
            "Field name '{0}' of '{1}' is listed in [Reserved] on message '{2}'",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A reserved name belonged to a removed field; reusing it breaks JSON and text-format readers of old data.",
            helpLinkUri: HelpLink(DiagnosticIds.FieldNameReserved));

        public static readonly DiagnosticDescriptor UnsupportedFieldType = new DiagnosticDescriptor(
            DiagnosticIds.UnsupportedFieldType,
            "Unsupported message field type",
            "Member '{0}' has type '{1}', which KafkaTyped cannot map to Protobuf: {2}",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Supported: string, bool, int, long, uint, ulong, float, double, byte[], ReadOnlyMemory<byte>, enums, DateTimeOffset, DateTime, TimeSpan, Guid, decimal, [KafkaMessage] records, List<T>, T[], IReadOnlyList<T>, ImmutableArray<T>, Dictionary<K,V>, IReadOnlyDictionary<K,V> and nullable forms of these.",
            helpLinkUri: HelpLink(DiagnosticIds.UnsupportedFieldType));

        public static readonly DiagnosticDescriptor EnumWithoutZeroValue = new DiagnosticDescriptor(
            DiagnosticIds.EnumWithoutZeroValue,
            "Enum used in a message has no zero value",
            "Enum '{0}' used by '{1}' has no member with the value 0",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A proto3 enum must start with a zero value: it is the default that readers see for an absent field.",
            helpLinkUri: HelpLink(DiagnosticIds.EnumWithoutZeroValue));

        public static readonly DiagnosticDescriptor MultipleKeys = new DiagnosticDescriptor(
            DiagnosticIds.MultipleKeys,
            "Message has more than one key",
            "Message '{0}' already has the key '{1}'; only one member may be marked [Key]",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The Kafka record key is a single value; combine several parts into one string key if needed.",
            helpLinkUri: HelpLink(DiagnosticIds.MultipleKeys));

        public static readonly DiagnosticDescriptor UnsupportedKeyType = new DiagnosticDescriptor(
            DiagnosticIds.UnsupportedKeyType,
            "Key type has no key encoding",
            "Key '{0}' has type '{1}'; a key must be string, int, long or Guid",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Keys are encoded like Kafka's own serializers (UTF-8 strings, big-endian integers, RFC 4122 GUID bytes) so other clients partition identically; other types have no such encoding.",
            helpLinkUri: HelpLink(DiagnosticIds.UnsupportedKeyType));

        public static readonly DiagnosticDescriptor DuplicateFieldName = new DiagnosticDescriptor(
            DiagnosticIds.DuplicateFieldName,
            "Two members map to one Protobuf field name",
            "Member '{0}' of message '{1}' has the Protobuf name '{2}', which '{3}' already has",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Protobuf field names are the snake_case of the member names and must be unique within a message; protoc rejects duplicates and JSON could not tell them apart.",
            helpLinkUri: HelpLink(DiagnosticIds.DuplicateFieldName));

        public static readonly DiagnosticDescriptor InvalidMessageName = new DiagnosticDescriptor(
            DiagnosticIds.InvalidMessageName,
            "Invalid Protobuf message name",
            "'{0}' is not a valid Protobuf message name: use an ASCII letter or '_' followed by ASCII letters, digits or '_'",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The message name goes into the .proto schema that protoc and the Schema Registry parse.",
            helpLinkUri: HelpLink(DiagnosticIds.InvalidMessageName));

        public static readonly DiagnosticDescriptor InvalidPackage = new DiagnosticDescriptor(
            DiagnosticIds.InvalidPackage,
            "Invalid Protobuf package",
            "Message '{0}' gets the Protobuf package '{1}', which is not valid; set [assembly: ProtoPackage(\"...\")] with dot-separated ASCII identifiers",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The package comes from [assembly: ProtoPackage] or the lower-cased namespace and must be dot-separated Protobuf identifiers.",
            helpLinkUri: HelpLink(DiagnosticIds.InvalidPackage));

        public static readonly DiagnosticDescriptor MessageInheritance = new DiagnosticDescriptor(
            DiagnosticIds.MessageInheritance,
            "Message derives from another type",
            "Message '{0}' derives from '{1}'; a message must derive from nothing but object",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Protobuf has no inheritance: inherited members would have no field numbers of their own and the generated codec cannot construct the base part. Compose with a message-typed field instead.",
            helpLinkUri: HelpLink(DiagnosticIds.MessageInheritance));

        public static readonly DiagnosticDescriptor FieldNotAssignable = new DiagnosticDescriptor(
            DiagnosticIds.FieldNotAssignable,
            "Numbered property cannot be assigned when parsing",
            "Property '{0}' has [Field({1})] but is neither an auto-property nor settable, so a parsed value could not be stored",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The generated parser writes each field into its property (through the setter or the auto-property's backing field); a computed property has nowhere to store the value.",
            helpLinkUri: HelpLink(DiagnosticIds.FieldNotAssignable));

        public static readonly DiagnosticDescriptor EnumNotMappable = new DiagnosticDescriptor(
            DiagnosticIds.EnumNotMappable,
            "Enum cannot be mapped to a Protobuf enum",
            "Enum '{0}' used by '{1}' cannot be a Protobuf enum: {2}",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Protobuf enums are 32-bit and their values must be distinct in KafkaTyped's mapping (no aliases).",
            helpLinkUri: HelpLink(DiagnosticIds.EnumNotMappable));

        public static readonly DiagnosticDescriptor MessageNotGenerated = new DiagnosticDescriptor(
            DiagnosticIds.MessageNotGenerated,
            "The generator cannot generate this message",
            "KafkaTyped generates no code for message '{0}': {1}",
            DiagnosticCategories.Messages,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The generator's own parser rejected the declaration for a reason no more specific KafkaTyped rule reports, so the record gets no codec, descriptor or set membership. The message lists the generator's reasons.",
            helpLinkUri: HelpLink(DiagnosticIds.MessageNotGenerated));

        public static readonly DiagnosticDescriptor InvalidTopicName = new DiagnosticDescriptor(
            DiagnosticIds.InvalidTopicName,
            "Invalid topic name",
            "Topic name '{0}' is invalid: {1}",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Kafka accepts topic names of 1 to 249 characters from [a-zA-Z0-9._-], other than '.' and '..'.",
            helpLinkUri: HelpLink(DiagnosticIds.InvalidTopicName));

        public static readonly DiagnosticDescriptor TopicDeclaredTwice = new DiagnosticDescriptor(
            DiagnosticIds.TopicDeclaredTwice,
            "Topic declared twice with different settings",
            "Topic '{0}' is also declared by '{1}' with different settings ({2})",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A topic is created once; two declarations with different partitions or replication factors cannot both hold.",
            helpLinkUri: HelpLink(DiagnosticIds.TopicDeclaredTwice),
            customTags: CompilationEnd);

        public static readonly DiagnosticDescriptor InvalidPartitions = new DiagnosticDescriptor(
            DiagnosticIds.InvalidPartitions,
            "Partitions must be at least 1",
            "Topic '{0}' declares {1} partitions; a topic needs at least 1",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Kafka cannot create a topic without partitions.",
            helpLinkUri: HelpLink(DiagnosticIds.InvalidPartitions));

        public static readonly DiagnosticDescriptor InvalidReplicationFactor = new DiagnosticDescriptor(
            DiagnosticIds.InvalidReplicationFactor,
            "Invalid replication factor",
            "Topic '{0}' declares replication factor {1}; use -1 for the broker default or a value of at least 1",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Kafka accepts a positive replication factor, or -1 to take the broker's default.",
            helpLinkUri: HelpLink(DiagnosticIds.InvalidReplicationFactor));

        public static readonly DiagnosticDescriptor MessageInSeveralSets = new DiagnosticDescriptor(
            DiagnosticIds.MessageInSeveralSets,
            "Message belongs to more than one message set",
            "Message '{0}' implements both message sets '{1}' and '{2}'",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A message's Confluent message index is its position in its set's .proto file, so a message can be a member of only one set.",
            helpLinkUri: HelpLink(DiagnosticIds.MessageInSeveralSets));

        public static readonly DiagnosticDescriptor SetMemberNotMessage = new DiagnosticDescriptor(
            DiagnosticIds.SetMemberNotMessage,
            "Message-set member is not a message",
            "'{0}' implements message set '{1}' but is not marked [KafkaMessage]",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Only [KafkaMessage] records have a Protobuf codec; another type in a set cannot be produced or consumed.",
            helpLinkUri: HelpLink(DiagnosticIds.SetMemberNotMessage));

        public static readonly DiagnosticDescriptor CacheValueNotMessage = new DiagnosticDescriptor(
            DiagnosticIds.CacheValueNotMessage,
            "Replicated cache value is not a message",
            "Replicated cache '{0}' stores '{1}', which is neither a [KafkaMessage] record nor a Protobuf message",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Cache entries travel on the cache's topic as Protobuf messages, so the value type must be a [KafkaMessage] record.",
            helpLinkUri: HelpLink(DiagnosticIds.CacheValueNotMessage));

        public static readonly DiagnosticDescriptor CacheKeyWithoutEncoding = new DiagnosticDescriptor(
            DiagnosticIds.CacheKeyWithoutEncoding,
            "Replicated cache key type has no key encoding",
            "Replicated cache '{0}' uses key type '{1}'; a key must be string, int, long or Guid",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Cache keys are Kafka record keys of a compacted topic and need a defined key encoding.",
            helpLinkUri: HelpLink(DiagnosticIds.CacheKeyWithoutEncoding));

        public static readonly DiagnosticDescriptor CacheMemberClash = new DiagnosticDescriptor(
            DiagnosticIds.CacheMemberClash,
            "Replicated cache declares a member the generator declares",
            "Replicated cache '{0}' declares '{1}', which the generator declares on every replicated cache; rename it",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The generator adds TopicName, PartitionCount, the operation messages Added, Updated and Deleted and their set Operations to every [ReplicatedCache] class, and skips a cache that already declares one of them.",
            helpLinkUri: HelpLink(DiagnosticIds.CacheMemberClash));

        public static readonly DiagnosticDescriptor SetPackageMismatch = new DiagnosticDescriptor(
            DiagnosticIds.SetPackageMismatch,
            "Message and message set in different Protobuf packages",
            "Message '{0}' is in Protobuf package '{1}' but its message set '{2}' is in '{3}'",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A set is one .proto file with one package, so its members must share it. Without [assembly: ProtoPackage] the package is the lower-cased namespace, so declare the set and its messages in one namespace or set the package explicitly.",
            helpLinkUri: HelpLink(DiagnosticIds.SetPackageMismatch));

        public static readonly DiagnosticDescriptor SetInAnotherAssembly = new DiagnosticDescriptor(
            DiagnosticIds.SetInAnotherAssembly,
            "Message set declared in another project",
            "Message '{0}' implements message set '{1}' from another assembly ('{2}')",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The generator builds a set's .proto file and schema type from the members it sees in one compilation, so the set interface and all its messages must live in the same project.",
            helpLinkUri: HelpLink(DiagnosticIds.SetInAnotherAssembly));

        public static readonly DiagnosticDescriptor SetMustBeTopLevel = new DiagnosticDescriptor(
            DiagnosticIds.SetMustBeTopLevel,
            "Message set must be a top-level, non-generic interface",
            "Message set '{0}' must be a top-level, non-generic interface: {1}",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A set becomes one .proto file and one generated schema type named after the interface, which needs a fixed, top-level name.",
            helpLinkUri: HelpLink(DiagnosticIds.SetMustBeTopLevel));

        public static readonly DiagnosticDescriptor SetNotGenerated = new DiagnosticDescriptor(
            DiagnosticIds.SetNotGenerated,
            "The generator cannot generate this message set",
            "KafkaTyped generates no code for message set '{0}': {1}",
            DiagnosticCategories.Topics,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The generator's own parser rejected the [Topic] interface for a reason no more specific KafkaTyped rule reports, so the set gets no schema type and its messages are not generated either. The message lists the generator's reasons.",
            helpLinkUri: HelpLink(DiagnosticIds.SetNotGenerated));

        public static readonly DiagnosticDescriptor HandlerSignatureMismatch = new DiagnosticDescriptor(
            DiagnosticIds.HandlerSignatureMismatch,
            "Handler signature does not match IHandle<T>",
            "Handler '{0}' is never called: declare it as 'ValueTask HandleAsync({1} message, MessageContext context, CancellationToken cancellationToken)' implementing IHandle<{1}>",
            DiagnosticCategories.Handlers,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The generated dispatch loop calls IHandle<T>.HandleAsync only; a handler-like method with another shape is silently never invoked.",
            helpLinkUri: HelpLink(DiagnosticIds.HandlerSignatureMismatch));

        public static readonly DiagnosticDescriptor AsyncVoidHandler = new DiagnosticDescriptor(
            DiagnosticIds.AsyncVoidHandler,
            "Handler is async void",
            "Handler '{0}' is 'async void': the offset would be committed before it finishes and its exceptions crash the process",
            DiagnosticCategories.Handlers,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The dispatch loop commits an offset only after the handler's task completes; async void has no task to wait for.",
            helpLinkUri: HelpLink(DiagnosticIds.AsyncVoidHandler));

        public static readonly DiagnosticDescriptor HandledTypeNotMessage = new DiagnosticDescriptor(
            DiagnosticIds.HandledTypeNotMessage,
            "Handled type is not a message",
            "'{0}' handles '{1}', which is not marked [KafkaMessage]",
            DiagnosticCategories.Handlers,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Only [KafkaMessage] records can be deserialized from a topic and dispatched.",
            helpLinkUri: HelpLink(DiagnosticIds.HandledTypeNotMessage));

        public static readonly DiagnosticDescriptor UnknownCacheOperation = new DiagnosticDescriptor(
            DiagnosticIds.UnknownCacheOperation,
            "Handled type is not a generated cache operation",
            "'{0}' handles '{1}', which is no generated cache operation: {2}",
            DiagnosticCategories.Handlers,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A [ReplicatedCache] class gets the generated operation messages Added, Updated and Deleted, which handlers of other consumer groups handle like any message. Other names, and caches the generator skips, have none.",
            helpLinkUri: HelpLink(DiagnosticIds.UnknownCacheOperation));

        public static readonly DiagnosticDescriptor DuplicateHandler = new DiagnosticDescriptor(
            DiagnosticIds.DuplicateHandler,
            "Two handlers for one message type in one consumer group",
            "Consumer group '{0}' already handles '{1}' in '{2}'",
            DiagnosticCategories.Handlers,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Within a consumer group each message is delivered once, so only one handler per message type can run.",
            helpLinkUri: HelpLink(DiagnosticIds.DuplicateHandler),
            customTags: CompilationEnd);

        public static readonly DiagnosticDescriptor InvalidConsumerGroupId = new DiagnosticDescriptor(
            DiagnosticIds.InvalidConsumerGroupId,
            "Invalid consumer group id",
            "Consumer group id '{0}' is invalid: {1}",
            DiagnosticCategories.Handlers,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A consumer group id must be 1 to 255 characters without whitespace or control characters.",
            helpLinkUri: HelpLink(DiagnosticIds.InvalidConsumerGroupId));

        public static readonly DiagnosticDescriptor DuplicateConsumerGroupId = new DiagnosticDescriptor(
            DiagnosticIds.DuplicateConsumerGroupId,
            "Consumer group id used by two classes",
            "Consumer group id '{0}' is also used by '{1}'; put all handlers of a group in one (partial) class",
            DiagnosticCategories.Handlers,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Two classes with one group id join one Kafka group with different subscriptions, so partitions are assigned to members that do not handle them.",
            helpLinkUri: HelpLink(DiagnosticIds.DuplicateConsumerGroupId),
            customTags: CompilationEnd);

        public static readonly DiagnosticDescriptor BlockingCallInHandler = new DiagnosticDescriptor(
            DiagnosticIds.BlockingCallInHandler,
            "Blocking call inside a handler",
            "'{0}' blocks the dispatch thread inside handler '{1}'; await instead",
            DiagnosticCategories.Handlers,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Blocking a handler stalls its partition lane, delays commits and can exceed max.poll.interval.ms, which triggers a rebalance.",
            helpLinkUri: HelpLink(DiagnosticIds.BlockingCallInHandler));

        public static readonly DiagnosticDescriptor HandlerWithoutConsumerGroup = new DiagnosticDescriptor(
            DiagnosticIds.HandlerWithoutConsumerGroup,
            "Handler class has no [ConsumerGroup]",
            "'{0}' implements IHandle<{1}> but has no [ConsumerGroup], so no consumer group ever calls it",
            DiagnosticCategories.Handlers,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Only [ConsumerGroup] classes get a generated dispatcher and a hosted consumer; a class that only implements IHandle<T> builds and runs, but handles nothing and logs nothing.",
            helpLinkUri: HelpLink(DiagnosticIds.HandlerWithoutConsumerGroup));

        public static readonly DiagnosticDescriptor ConsumerGroupWithoutHandlers = new DiagnosticDescriptor(
            DiagnosticIds.ConsumerGroupWithoutHandlers,
            "Consumer group handles no message",
            "Consumer group '{0}' ('{1}') implements no IHandle<T>, so it subscribes to nothing",
            DiagnosticCategories.Handlers,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "The generator builds a consumer group's dispatcher from its IHandle<T> interfaces; without any there is no dispatcher and no consumer, and the group silently does nothing.",
            helpLinkUri: HelpLink(DiagnosticIds.ConsumerGroupWithoutHandlers));

        public static readonly DiagnosticDescriptor KafkaTypedNeverRegistered = new DiagnosticDescriptor(
            DiagnosticIds.KafkaTypedNeverRegistered,
            "The application never calls the generated AddKafkaTyped",
            "'{0}' is declared for KafkaTyped, but this application never calls the generated services.AddKafkaTyped(configuration): its consumer groups will not run, its caches will not start and its producers cannot be resolved",
            DiagnosticCategories.Hosting,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "The generator writes one AddKafkaTyped(IServiceCollection, IConfiguration) per assembly; it is internal, so only this assembly can call it. An application that declares message sets, consumer groups or caches and never calls it builds and starts, handles nothing and logs nothing; a producer it injects fails with the dependency-injection container's 'Unable to resolve service' error.",
            helpLinkUri: HelpLink(DiagnosticIds.KafkaTypedNeverRegistered),
            customTags: CompilationEnd);

        public static readonly DiagnosticDescriptor FieldTypeChanged = new DiagnosticDescriptor(
            DiagnosticIds.FieldTypeChanged,
            "Field type changed incompatibly since the schema baseline",
            "Field {0} ('{1}') of message '{2}' changed incompatibly since the schema baseline: {3}",
            DiagnosticCategories.SchemaEvolution,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Readers of the baseline schema decode the field by its wire type; a change across wire-type groups, between scalar and message, to another message type or between single and repeated corrupts or rejects old and new data.",
            helpLinkUri: HelpLink(DiagnosticIds.FieldTypeChanged));

        public static readonly DiagnosticDescriptor RemovedFieldNotReserved = new DiagnosticDescriptor(
            DiagnosticIds.RemovedFieldNotReserved,
            "Removed field is not reserved",
            "Field {0} ('{1}') of message '{2}' was removed since the schema baseline; reserve it with [Reserved({0})] and [Reserved(\"{1}\")]",
            DiagnosticCategories.SchemaEvolution,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Old records still carry the removed field; unless its number and name are reserved, a later field can reuse them and misread old data.",
            helpLinkUri: HelpLink(DiagnosticIds.RemovedFieldNotReserved));

        public static readonly DiagnosticDescriptor FieldNumberOrNameReused = new DiagnosticDescriptor(
            DiagnosticIds.FieldNumberOrNameReused,
            "Field reuses a number or name of the schema baseline",
            "Field '{0}' of message '{1}' reuses {2}",
            DiagnosticCategories.SchemaEvolution,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A number or name that the baseline reserved, or that belonged to another field, still appears in old data and in other services' schemas.",
            helpLinkUri: HelpLink(DiagnosticIds.FieldNumberOrNameReused));

        public static readonly DiagnosticDescriptor SetMemberRemoved = new DiagnosticDescriptor(
            DiagnosticIds.SetMemberRemoved,
            "Message removed since the schema baseline",
            "Message '{0}' of the schema baseline '{1}' {2}",
            DiagnosticCategories.SchemaEvolution,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Records of a removed message are still on the topic; consumers built from the new schema cannot read them, and the registry rejects the schema as incompatible.",
            helpLinkUri: HelpLink(DiagnosticIds.SetMemberRemoved),
            customTags: CompilationEnd);

        public static readonly DiagnosticDescriptor PackageChanged = new DiagnosticDescriptor(
            DiagnosticIds.PackageChanged,
            "Protobuf package changed since the schema baseline",
            "Message '{0}' moved from package '{1}' to '{2}' since the schema baseline",
            DiagnosticCategories.SchemaEvolution,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The package is part of the message's full name, which other languages, Any payloads and record-name subject strategies depend on.",
            helpLinkUri: HelpLink(DiagnosticIds.PackageChanged));

        public static readonly DiagnosticDescriptor MessageRenamed = new DiagnosticDescriptor(
            DiagnosticIds.MessageRenamed,
            "Message renamed since the schema baseline",
            "Message '{0}' of message set '{1}' replaces '{2}' of the schema baseline; keep the Protobuf name with [KafkaMessage(Name = \"{2}\")]",
            DiagnosticCategories.SchemaEvolution,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A message's Protobuf name identifies it to every consumer and to the registry; renaming it removes the old message and adds an unrelated new one.",
            helpLinkUri: HelpLink(DiagnosticIds.MessageRenamed),
            customTags: CompilationEnd);

        public static readonly DiagnosticDescriptor BaselineUnreadable = new DiagnosticDescriptor(
            DiagnosticIds.BaselineUnreadable,
            "Schema baseline file cannot be read",
            "Schema baseline '{0}' cannot be read, so it is not checked: {1}",
            DiagnosticCategories.SchemaEvolution,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "A committed baseline .proto file must be valid Protobuf; regenerate it with the baseline update command.",
            helpLinkUri: HelpLink(DiagnosticIds.BaselineUnreadable),
            customTags: CompilationEnd);
    
        private static System.Collections.Generic.Dictionary<string, DiagnosticDescriptor>? s_byId;

        /// <summary>The descriptor of an ID (the generator reports from plain <c>DiagnosticInfo</c> data).</summary>
        public static DiagnosticDescriptor ById(string id)
        {
            var byId = s_byId;
            if (byId is null)
            {
                byId = new System.Collections.Generic.Dictionary<string, DiagnosticDescriptor>(System.StringComparer.Ordinal);
                foreach (var field in typeof(DiagnosticDescriptors).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
                {
                    if (field.GetValue(null) is DiagnosticDescriptor descriptor)
                    {
                        byId[descriptor.Id] = descriptor;
                    }
                }

                s_byId = byId;
            }

            return byId[id];
        }

        /// <summary>Turns generator data back into a diagnostic.</summary>
        public static Diagnostic Create(Model.DiagnosticInfo info)
        {
            var properties = System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty;
            for (var i = 0; i + 1 < info.Properties.Count; i += 2)
            {
                properties = properties.Add(info.Properties[i], info.Properties[i + 1]);
            }

            var arguments = new object[info.Arguments.Count];
            for (var i = 0; i < arguments.Length; i++)
            {
                arguments[i] = info.Arguments[i];
            }

            return Diagnostic.Create(ById(info.Id), Location.Create(info.FilePath, info.Span, info.LineSpan), properties, arguments);
        }
}
}
