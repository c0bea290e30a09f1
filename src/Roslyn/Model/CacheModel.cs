namespace KafkaTyped.Roslyn.Model
{
    /// <summary>A <c>[ReplicatedCache]</c> partial class.</summary>
    /// <remarks>Plain data only (no symbols), compared by value.</remarks>
    public sealed record CacheModel(
        string Namespace,
        string ClassName,
        string FullName,
        string Accessibility,
        bool IsSealed,
        string Topic,
        int Partitions,
        string KeyType,
        string ValueType,
        string ValueProtoFullName,
        string ValueFileName,
        string OperationsPackage)
    {
        /// <summary>The operation set's file, named by the operations' one schema definition (the runtime's name too).</summary>
        public string OperationsFileName => KafkaTyped.SchemaModel.CacheOperationsProto.FileName(OperationsPackage);
    }
}
