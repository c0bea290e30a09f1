using System.Runtime.InteropServices;

namespace KafkaTyped.Embedded.Native;

/// <summary>
/// P/Invoke bindings to librdkafka's mock cluster (rdkafka_mock.h). The API is experimental upstream; every function
/// here was checked against the librdkafka 2.16.0 that librdkafka.redist bundles (the only library KafkaTyped loads,
/// see <see cref="KafkaNativeLibrary"/>). Never bind the varargs variants (push_request_errors, ..._error_rtts):
/// varargs calling conventions differ by platform.
/// </summary>
internal static partial class LibRdKafkaMock
{
    private const string Lib = "librdkafka";

    internal const int RdKafkaProducer = 0;

    [LibraryImport(Lib, EntryPoint = "rd_kafka_new")]
    internal static partial IntPtr New(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_destroy")]
    internal static partial void Destroy(IntPtr rk);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_new")]
    internal static partial IntPtr ClusterNew(IntPtr rk, int brokerCount);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    internal static partial void ClusterDestroy(IntPtr mcluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial IntPtr ClusterBootstraps(IntPtr mcluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TopicCreate(IntPtr mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_down")]
    internal static partial int BrokerSetDown(IntPtr mcluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_up")]
    internal static partial int BrokerSetUp(IntPtr mcluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    internal static partial int BrokerSetRtt(IntPtr mcluster, int brokerId, int rttMs);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    internal static partial void PushRequestErrorsArray(IntPtr mcluster, short apiKey, UIntPtr count, int[] errors);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    internal static partial void ClearRequestErrors(IntPtr mcluster, short apiKey);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartitionSetLeader(IntPtr mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_topic_delete", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TopicDelete(IntPtr mcluster, string topic);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    internal static partial void GroupInitialRebalanceDelayMs(IntPtr mcluster, int delayMs);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_set_group_consumer_session_timeout_ms")]
    internal static partial void SetGroupConsumerSessionTimeoutMs(IntPtr mcluster, int timeoutMs);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_set_group_consumer_heartbeat_interval_ms")]
    internal static partial void SetGroupConsumerHeartbeatIntervalMs(IntPtr mcluster, int intervalMs);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_coordinator_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int CoordinatorSet(IntPtr mcluster, string keyType, string key, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_add")]
    internal static partial int BrokerAdd(IntPtr mcluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_decommission")]
    internal static partial int BrokerDecommission(IntPtr mcluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_err2str")]
    internal static partial IntPtr ErrorToString(int err);

    internal static string Describe(int err) => $"{Marshal.PtrToStringUTF8(ErrorToString(err))} ({err})";
}
