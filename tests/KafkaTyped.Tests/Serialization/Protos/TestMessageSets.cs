using Google.Protobuf.Reflection;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Tests.Protos;

/// <summary>
/// Hand-built <see cref="ProtoFile"/>s and <see cref="MessageSetDefinition"/>s over protoc's classes for the .proto
/// files here (compiled at build time by eng/Protoc.targets), standing in for the generator's output in serialization
/// tests.
/// </summary>
internal static class TestMessageSets
{
    private static readonly Dictionary<string, ProtoFile> Files = new(StringComparer.Ordinal);

    public static string ProtoDirectory => Path.Combine(AppContext.BaseDirectory, "Protos");

    /// <summary>The ProtoFile for a protoc-generated file descriptor, with its text read from the copied .proto.</summary>
    public static ProtoFile FileOf(FileDescriptor descriptor)
    {
        lock (Files)
        {
            if (Files.TryGetValue(descriptor.Name, out var cached))
            {
                return cached;
            }

            var dependencies = descriptor.Dependencies.Select(FileOf).ToArray();
            var path = Path.Combine(ProtoDirectory, descriptor.Name);
            var text = File.Exists(path) ? File.ReadAllText(path) : "// built into every Schema Registry";
            var file = new ProtoFile(descriptor.Name, descriptor.Package, text, descriptor.SerializedData.ToByteArray(), dependencies);
            Files[descriptor.Name] = file;
            return file;
        }
    }

    public static TestSet Orders(string topic) => new(topic, KafkaTyped.Tests.Protos.Shop.OrdersReflection.Descriptor);

    public static TestSet OrdersV2(string topic) => new(topic, KafkaTyped.Tests.Protos.ShopV2.OrdersV2Reflection.Descriptor);

    public static TestSet Payments(string topic) => new(topic, KafkaTyped.Tests.Protos.Billing.PaymentsReflection.Descriptor);
}

/// <summary>A message set over every top-level message of one protoc-generated file.</summary>
internal sealed class TestSet(string topic, FileDescriptor descriptor) : MessageSetDefinition
{
    public override string Topic { get; } = topic;

    public override int Partitions => 1;

    public override ProtoFile File { get; } = TestMessageSets.FileOf(descriptor);

    public override IReadOnlyList<string> MessageNames { get; } = descriptor.MessageTypes.Select(m => m.FullName).ToArray();
}
