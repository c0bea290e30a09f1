namespace KafkaTyped;

/// <summary>
/// Gives a message property (or positional record parameter) its Protobuf field number.
/// </summary>
/// <remarks>
/// Numbers are part of the wire contract: never change or reuse one; list removed ones in <see cref="ReservedAttribute"/>.
/// Valid numbers are 1 to 536,870,911, except 19,000 to 19,999 (reserved by Protobuf).
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class FieldAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="number">The Protobuf field number.</param>
    public FieldAttribute(int number) => Number = number;

    /// <summary>The Protobuf field number.</summary>
    public int Number { get; }

    /// <summary>How an integer field is encoded; ignored for other types.</summary>
    public IntegerEncoding Encoding { get; set; }
}

/// <summary>The Protobuf encoding of an integer field.</summary>
public enum IntegerEncoding
{
    /// <summary>Plain varint: <c>int32</c>, <c>int64</c>, <c>uint32</c>, <c>uint64</c>.</summary>
    Default = 0,

    /// <summary>Zig-zag varint, compact for negative values: <c>sint32</c>, <c>sint64</c>.</summary>
    ZigZag = 1,

    /// <summary>Fixed width, compact for large values: <c>fixed32</c>/<c>sfixed32</c>, <c>fixed64</c>/<c>sfixed64</c>.</summary>
    Fixed = 2,
}
