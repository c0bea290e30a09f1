using KafkaTyped.GeneratedCode;
using KafkaTyped.SchemaModel;

namespace KafkaTyped.Cache;

/// <summary>The message set of a cache's operations: <c>Added</c>, <c>Updated</c>, <c>Deleted</c> on the cache's topic.</summary>
internal sealed class CacheOperationsSet : MessageSetDefinition
{
    private readonly string topic;
    private readonly int partitions;
    private readonly ProtoFile file;
    private readonly string[] names;

    public CacheOperationsSet(string topic, int partitions, ProtoFile file)
    {
        this.topic = topic;
        this.partitions = partitions;
        this.file = file;
        var prefix = string.IsNullOrEmpty(file.Package) ? string.Empty : file.Package + ".";
        names = Array.ConvertAll(CacheOperationsProto.MessageNames, name => prefix + name);
    }

    /// <summary>The operation set of a cache named <paramref name="cacheName"/> holding <typeparamref name="TValue"/> values.</summary>
    public static CacheOperationsSet For<TValue>(string cacheName, string topic, int partitions)
        where TValue : class, Google.Protobuf.IMessage<TValue>, new() =>
        new(topic, partitions, CacheOperationsSchema.Build(cacheName, new TValue().Descriptor, null));

    public override string Topic => topic;

    public override int Partitions => partitions;

    /// <summary>Compacted: the state is a function of the last record per key, so compaction loses nothing.</summary>
    public override IReadOnlyDictionary<string, string>? TopicConfigs { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = "compact",
    };

    public override ProtoFile File => file;

    public override IReadOnlyList<string> MessageNames => names;
}
