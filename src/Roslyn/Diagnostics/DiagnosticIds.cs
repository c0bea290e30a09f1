namespace KafkaTyped.Roslyn.Diagnostics
{
    /// <summary>
    /// The KafkaTyped diagnostic IDs. An ID is never renumbered or reused: a retired rule keeps its number forever.
    /// Ranges: KT00xx message types, KT01xx topics, sets and caches, KT02xx handlers and consumer groups,
    /// KT03xx schema evolution against the committed baseline, KT04xx an application's wiring (registration, hosting).
    /// </summary>
    public static class DiagnosticIds
    {
        public const string TypeMustBePartial = "KT0001";
        public const string MessageMustBeClassOrRecord = "KT0002";
        public const string ContainingTypeMustBePartial = "KT0003";
        public const string MissingFieldNumber = "KT0004";
        public const string DuplicateFieldNumber = "KT0005";
        public const string FieldNumberOutOfRange = "KT0006";
        public const string FieldNumberReserved = "KT0007";
        public const string FieldNameReserved = "KT0008";
        public const string UnsupportedFieldType = "KT0009";
        public const string EnumWithoutZeroValue = "KT0010";
        public const string MultipleKeys = "KT0011";
        public const string UnsupportedKeyType = "KT0012";
        public const string DuplicateFieldName = "KT0013";
        public const string InvalidMessageName = "KT0014";
        public const string InvalidPackage = "KT0015";
        public const string MessageInheritance = "KT0016";
        public const string FieldNotAssignable = "KT0017";
        public const string EnumNotMappable = "KT0018";
        public const string MessageNotGenerated = "KT0019";

        public const string InvalidTopicName = "KT0101";
        public const string TopicDeclaredTwice = "KT0102";
        public const string InvalidPartitions = "KT0103";
        public const string InvalidReplicationFactor = "KT0104";
        public const string MessageInSeveralSets = "KT0105";
        public const string SetMemberNotMessage = "KT0106";
        public const string CacheValueNotMessage = "KT0107";
        public const string CacheKeyWithoutEncoding = "KT0108";
        public const string SetPackageMismatch = "KT0109";
        public const string SetInAnotherAssembly = "KT0110";
        public const string SetMustBeTopLevel = "KT0111";
        public const string SetNotGenerated = "KT0112";
        public const string CacheMemberClash = "KT0113";

        public const string HandlerSignatureMismatch = "KT0201";
        public const string AsyncVoidHandler = "KT0202";
        public const string HandledTypeNotMessage = "KT0203";
        public const string DuplicateHandler = "KT0204";
        public const string InvalidConsumerGroupId = "KT0205";
        public const string DuplicateConsumerGroupId = "KT0206";
        public const string BlockingCallInHandler = "KT0207";
        public const string UnknownCacheOperation = "KT0208";
        public const string HandlerWithoutConsumerGroup = "KT0209";
        public const string ConsumerGroupWithoutHandlers = "KT0210";

        public const string FieldTypeChanged = "KT0301";
        public const string RemovedFieldNotReserved = "KT0302";
        public const string FieldNumberOrNameReused = "KT0303";
        public const string SetMemberRemoved = "KT0304";
        public const string PackageChanged = "KT0305";
        public const string MessageRenamed = "KT0306";
        public const string BaselineUnreadable = "KT0307";
    
        public const string KafkaTypedNeverRegistered = "KT0401";
    }
}
