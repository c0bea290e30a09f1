namespace KafkaTyped.Roslyn.Diagnostics
{
    /// <summary>Keys of <c>Diagnostic.Properties</c>: how the analyzers hand their findings to the code fixes.</summary>
    public static class DiagnosticProperties
    {
        /// <summary>KT0004: the field number the analyzer assigned to this member.</summary>
        public const string FieldNumber = "FieldNumber";

        /// <summary>KT0004: every unnumbered member of the type with its assigned number, <c>Name=5;Other=6</c>.</summary>
        public const string TypeFieldNumbers = "TypeFieldNumbers";

        /// <summary>KT0010: a free name for the zero enum value.</summary>
        public const string ZeroMemberName = "ZeroMemberName";

        /// <summary>KT0010: the documentation-comment ID of the enum (<c>T:Shop.Status</c>), to find it again in the fix.</summary>
        public const string EnumName = "EnumName";

        /// <summary>KT0302: the removed field's number, to reserve.</summary>
        public const string RemovedNumber = "RemovedNumber";

        /// <summary>KT0302: the removed field's Protobuf name, to reserve.</summary>
        public const string RemovedName = "RemovedName";

        /// <summary>KT0306: the message's Protobuf name in the baseline, to keep with <c>[KafkaMessage(Name = ...)]</c>.</summary>
        public const string BaselineName = "BaselineName";

        /// <summary>KT0209: a group id for the handler class (its name in kebab-case), for <c>[ConsumerGroup(...)]</c>.</summary>
        public const string GroupId = "GroupId";

        /// <summary>KT0201/KT0202: the fully qualified message type the handler takes.</summary>
        public const string MessageType = "MessageType";
    }
}
