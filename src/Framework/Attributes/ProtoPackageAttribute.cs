namespace KafkaTyped;

/// <summary>
/// Sets the Protobuf package of every message in the assembly. Without it the package is the message's C# namespace
/// in lower case (<c>Shop.Orders</c> → <c>shop.orders</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, Inherited = false, AllowMultiple = false)]
public sealed class ProtoPackageAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public ProtoPackageAttribute(string package) => Package = package;

    /// <summary>The Protobuf package, for example <c>shop.orders</c>.</summary>
    public string Package { get; }
}
