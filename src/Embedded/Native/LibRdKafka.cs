using System.Runtime.InteropServices;

namespace KafkaTyped.Embedded.Native;

/// <summary>
/// The librdkafka functions KafkaTyped calls itself, bound to the one library <see cref="KafkaNativeLibrary"/> loaded:
/// configuration objects (to check settings before any client is built) and the mock cluster (rdkafka_mock.h) behind
/// the embedded cluster.
/// </summary>
/// <remarks>
/// The mock cluster's API is experimental upstream; every function here was checked against the librdkafka 2.16.0
/// that librdkafka.redist bundles. Never bind the varargs variants (push_request_errors, ..._error_rtts): varargs
/// calling conventions differ by platform.
/// </remarks>
internal static partial class LibRdKafka
{
    private const string Lib = "librdkafka";

    internal const int ConfOk = 0;

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_new")]
    internal static partial IntPtr ConfNew();

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(IntPtr conf, string name, string value, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_destroy")]
    internal static partial void ConfDestroy(IntPtr conf);

    /// <summary>The text librdkafka wrote into an error buffer.</summary>
    internal static string ReadError(byte[] errstr)
    {
        var end = Array.IndexOf(errstr, (byte)0);
        return System.Text.Encoding.UTF8.GetString(errstr, 0, end < 0 ? errstr.Length : end);
    }

    // The mock cluster.

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
