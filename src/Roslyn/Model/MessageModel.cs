namespace KafkaTyped.Roslyn.Model
{
    /// <summary>The Protobuf field type; the numeric values are <c>FieldDescriptorProto.Type</c>.</summary>
    public enum ProtoType
    {
        Double = 1,
        Float = 2,
        Int64 = 3,
        UInt64 = 4,
        Int32 = 5,
        Fixed64 = 6,
        Fixed32 = 7,
        Bool = 8,
        String = 9,
        Message = 11,
        Bytes = 12,
        UInt32 = 13,
        Enum = 14,
        SFixed32 = 15,
        SFixed64 = 16,
        SInt32 = 17,
        SInt64 = 18,
    }

    /// <summary>How a CLR value maps onto its Protobuf type.</summary>
    public enum ClrKind
    {
        /// <summary>Written directly: string, bool, integers, float, double, enums.</summary>
        Native,
        ByteArray,
        ReadOnlyMemory,
        DateTimeOffset,
        DateTime,
        TimeSpan,
        Guid,
        Decimal,

        /// <summary>Another <c>[KafkaMessage]</c> record.</summary>
        Message,
    }

    public enum FieldLabel
    {
        /// <summary>proto3 implicit presence: the default value is not written.</summary>
        Singular,

        /// <summary>Explicit presence (a nullable type): <c>optional</c>, or a message field that may be null.</summary>
        Optional,
        Repeated,
        Map,
    }

    public enum CollectionKind
    {
        None,
        List,
        Array,
        ReadOnlyList,
        ImmutableArray,
        Dictionary,
        ReadOnlyDictionary,
    }

    public enum AccessKind
    {
        /// <summary>The property has a <c>set</c> accessor the codec assigns.</summary>
        Setter,

        /// <summary>An init-only or get-only auto-property: the codec writes its backing field through <c>[UnsafeAccessor]</c>.</summary>
        BackingField,
    }

    public enum KeyKind
    {
        None,
        String,
        Int32,
        Int64,
        Guid,
    }

    /// <summary>One value's type: a singular field, a repeated element, or a map key/value.</summary>
    /// <remarks>Plain strings and enums only (no symbols), so it compares by value for incremental caching.</remarks>
    public sealed record ValueModel(
        ProtoType ProtoType,
        ClrKind ClrKind,
        string ClrType,
        string? ProtoTypeName,
        string TextTypeName,
        string? ImportFile,
        string? DependencyExpression,
        string? ProtoFileExpression);

    /// <summary>One <c>[Field]</c> member of a message record.</summary>
    /// <remarks>Plain data only; equal when every part is equal.</remarks>
    public sealed record FieldModel(
        string PropertyName,
        string ProtoName,
        int Number,
        FieldLabel Label,
        CollectionKind Collection,
        string PropertyType,
        ValueModel Value,
        ValueModel? Key,
        AccessKind Access,
        string? BackingFieldName,
        bool IsNullableValueType,
        bool HasPublicWriter);

    public sealed record EnumValueModel(string ClrName, string ProtoName, int Number);

    /// <summary>A C# enum used by a message, emitted as an enum nested in that message.</summary>
    public sealed record EnumModel(string ClrType, string ProtoName, EquatableArray<EnumValueModel> Values);

    /// <summary>
    /// A <c>[KafkaMessage]</c> record as the generator sees it: every fact the codec, the <c>.proto</c> text and the
    /// descriptor need, and nothing from Roslyn.
    /// </summary>
    /// <remarks>
    /// Holds no <c>ISymbol</c>, <c>SyntaxNode</c>, <c>Location</c> or <c>Compilation</c>: two models are equal when all
    /// their strings, flags and arrays are equal, which is what keeps the pipeline cached across unrelated edits.
    /// </remarks>
    public sealed record MessageModel(
        string Namespace,
        string TypeName,
        string FullTypeName,
        bool IsSealed,
        bool IsPublic,
        string ProtoName,
        string Package,
        string FileName,
        string? SetClassFullName,
        EquatableArray<FieldModel> Fields,
        EquatableArray<EnumModel> Enums,
        EquatableArray<int> ReservedNumbers,
        EquatableArray<string> ReservedNames,
        int KeyFieldIndex,
        KeyKind KeyKind,
        bool EmitParameterlessConstructor,
        EquatableArray<string> PrimaryConstructorArguments,
        EquatableArray<string> PrimaryConstructorTypes,
        bool IsPositional,
        bool EmitEquality)
    {
        public string FullProtoName => Package.Length == 0 ? ProtoName : Package + "." + ProtoName;
    }

    /// <summary>A <c>[Topic]</c> partial interface: one message set, one <c>.proto</c> file.</summary>
    /// <remarks>Plain data only, compared by value.</remarks>
    public sealed record SetModel(
        string Namespace,
        string InterfaceFullName,
        string ClassName,
        string FullClassName,
        bool IsPublic,
        string Topic,
        int Partitions,
        short ReplicationFactor,
        string Package,
        string FileName);
}
