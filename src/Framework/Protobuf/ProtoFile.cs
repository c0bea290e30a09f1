namespace KafkaTyped.GeneratedCode;

/// <summary>
/// One <c>.proto</c> file as KafkaTyped registers and exports it: its path-like name, package, readable text and the
/// serialized <c>FileDescriptorProto</c> (byte-identical to what protoc embeds in its C# output: no json_name, no
/// source info). Generated code exposes one per message set and one per value-object message.
/// </summary>
/// <remarks>Immutable; safe to share.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ProtoFile
{
    /// <summary>Creates a file description.</summary>
    /// <param name="name">The file name as imported, for example <c>shop/orders/orders.proto</c>; also its registry subject when referenced.</param>
    /// <param name="package">The Protobuf package, for example <c>shop.orders</c>.</param>
    /// <param name="text">The <c>.proto</c> source text.</param>
    /// <param name="descriptor">The serialized <c>FileDescriptorProto</c>.</param>
    /// <param name="dependencies">The imported files, in import order (Google well-known types included).</param>
    public ProtoFile(string name, string package, string text, byte[] descriptor, IReadOnlyList<ProtoFile> dependencies)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Package = package ?? string.Empty;
        Text = text ?? throw new ArgumentNullException(nameof(text));
        Descriptor = descriptor ?? throw new ArgumentNullException(nameof(descriptor));
        Dependencies = dependencies ?? [];
    }

    /// <summary>The file name as imported, for example <c>shop/orders/orders.proto</c>.</summary>
    public string Name { get; }

    /// <summary>The Protobuf package.</summary>
    public string Package { get; }

    /// <summary>The <c>.proto</c> source text.</summary>
    public string Text { get; }

    /// <summary>The serialized <c>FileDescriptorProto</c>; do not mutate.</summary>
    public byte[] Descriptor { get; }

    /// <summary>The imported files, in import order.</summary>
    public IReadOnlyList<ProtoFile> Dependencies { get; }

    /// <summary>True for files under <c>google/protobuf/</c>, which Schema Registries have built in.</summary>
    internal bool IsWellKnown => Name.StartsWith("google/protobuf/", StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Name;
}
