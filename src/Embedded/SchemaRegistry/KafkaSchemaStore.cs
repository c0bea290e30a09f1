using System.Text.Json;
using Confluent.Kafka;
using KafkaTyped.Embedded.Native;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Embedded.SchemaRegistry;

/// <summary>
/// The embedded registry's state, kept in a single-partition <c>_schemas</c> topic like Confluent's KafkaStore: a
/// background reader applies every record to memory; a write produces a record and then waits until the reader has
/// applied it (read-your-writes).
/// </summary>
/// <remarks>
/// Several registry instances (processes) may share the topic without a leader: every instance applies records in log
/// order with the same first-writer-wins rules (<see cref="SchemaState.Apply"/>), so they agree on the state; a writer
/// that lost a race sees its record ignored and retries. Records are full values keyed like Confluent's, so the
/// state is a function of the last record per key except across conflicting writers (a compacted topic could then
/// drop the winner; the embedded cluster never compacts).
/// </remarks>
internal sealed class KafkaSchemaStore : IDisposable
{
    private readonly IProducer<byte[], byte[]?> producer;
    private readonly IConsumer<byte[], byte[]?> consumer;
    private readonly TopicPartition partition;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Thread reader;
    private TaskCompletionSource progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long nextOffset;
    private Exception? readerFailure;

    private KafkaSchemaStore(string bootstrapServers, string topic, IReadOnlyDictionary<string, string>? settings, ILogger logger)
    {
        this.logger = logger;
        partition = new TopicPartition(topic, 0);
        var producerConfig = new ProducerConfig { BootstrapServers = bootstrapServers, Acks = Acks.All, LingerMs = 0 };
        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,

            // Confluent.Kafka 1.9 insists on a group id; the reader only assigns, never joins or commits.
            GroupId = "kafkatyped-schema-registry-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        if (settings is not null)
        {
            foreach (var (key, value) in settings)
            {
                producerConfig.Set(key, value);
                consumerConfig.Set(key, value);
            }
        }

        EmbeddedClientTuning.ApplyIfEmbedded(producerConfig);
        EmbeddedClientTuning.ApplyIfEmbedded(consumerConfig);
        producer = new ProducerBuilder<byte[], byte[]?>(producerConfig).Build();
        consumer = new ConsumerBuilder<byte[], byte[]?>(consumerConfig).Build();
        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        reader = new Thread(ReadLoop) { IsBackground = true, Name = "KafkaTyped schema store reader" };
    }

    /// <summary>The materialized registry state; lock <see cref="SchemaState.Gate"/> to read it.</summary>
    public SchemaState State { get; } = new();

    public string Topic => partition.Topic;

    /// <summary>Opens the store and reads the topic to its end before returning.</summary>
    public static async Task<KafkaSchemaStore> OpenAsync(string bootstrapServers, string topic, IReadOnlyDictionary<string, string>? settings, ILogger logger, TimeSpan timeout, CancellationToken cancellationToken)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var store = new KafkaSchemaStore(bootstrapServers, topic, settings, logger);
        try
        {
            store.reader.Start();
            await store.CatchUpAsync(timeout, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Waits until every record written before this call has been applied.</summary>
    public async Task CatchUpAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var end = await Task.Run(() => consumer.QueryWatermarkOffsets(partition, timeout).High.Value, cancellationToken).ConfigureAwait(false);
        await WaitForAsync(end, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a record and waits until the reader applied it.</summary>
    public async Task WriteAsync(StoreKeyJson key, byte[]? value, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var message = new Message<byte[], byte[]?> { Key = JsonSerializer.SerializeToUtf8Bytes(key, SchemaStoreJsonContext.Default.StoreKeyJson), Value = value };
        DeliveryResult<byte[], byte[]?> result;
        try
        {
            result = await producer.ProduceAsync(partition, message, cancellationToken).ConfigureAwait(false);
        }
        catch (ProduceException<byte[], byte[]?> ex)
        {
            throw new RegistryError(500, SchemaRegistryException.StoreError, $"Writing to the schema store topic '{partition.Topic}' failed: {ex.Error.Reason}");
        }

        await WaitForAsync(result.Offset.Value + 1, timeout, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        stopping.Cancel();
        if (reader.IsAlive)
        {
            reader.Join(TimeSpan.FromSeconds(10));
        }

        consumer.Close();
        consumer.Dispose();
        producer.Dispose();
        stopping.Dispose();
    }

    private async Task WaitForAsync(long target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref nextOffset) < target)
        {
            var signal = Volatile.Read(ref progress).Task;
            if (Volatile.Read(ref nextOffset) >= target)
            {
                break;
            }

            if (readerFailure is { } failure)
            {
                throw new RegistryError(500, SchemaRegistryException.StoreError, $"The schema store reader failed: {failure.Message}");
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new RegistryError(500, SchemaRegistryException.OperationTimeout, $"The schema store did not reach offset {target} of '{partition.Topic}' within {timeout.TotalSeconds:0.#} s.");
            }

            try
            {
                await signal.WaitAsync(remaining < TimeSpan.FromMilliseconds(200) ? remaining : TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // re-check; the loop enforces the overall deadline
            }
        }
    }

    private void ReadLoop()
    {
        while (!stopping.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]?>? record;
            try
            {
                record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException ex)
            {
                EmbeddedRegistryLog.EmbeddedRecordSkipped(logger, ex.ConsumerRecord?.Offset.Value ?? -1, partition.Topic);
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex) when (ex is KafkaException or InvalidOperationException)
            {
                readerFailure = ex;
                return;
            }

            if (record is null || record.IsPartitionEOF)
            {
                continue;
            }

            try
            {
                State.Apply(record.Message.Key, record.Message.Value);
            }
            catch (JsonException)
            {
                EmbeddedRegistryLog.EmbeddedRecordSkipped(logger, record.Offset.Value, partition.Topic);
            }

            Volatile.Write(ref nextOffset, record.Offset.Value + 1);
            Interlocked.Exchange(ref progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }
}
