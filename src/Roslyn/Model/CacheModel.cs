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
        /// <summary>The operation set's file, named the way the runtime's <c>CacheOperationsSchema</c> names it.</summary>
        public string OperationsFileName => OperationsPackage.Replace('.', '/') + ".proto";
    }
}
