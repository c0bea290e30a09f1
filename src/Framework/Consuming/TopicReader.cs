using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Logging;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Consuming;

/// <summary>
/// Reads the typed messages of a message set's topic without a consumer group: chosen partitions (or all) from the
/// beginning, the end, an offset or a point in time; nothing is committed and no group is joined. For replays, audits,
/// back-fills and tools; the console's <c>--from-beginning</c>.
/// </summary>
/// <remarks>
/// <para>Values are read with the application's codec (registry framing, unseen schema ids fetched asynchronously) and
/// parsed with the set's generated parsers (<see cref="MessageSetDefinition.ParserOf"/>). Records come in offset order
/// per partition; partitions interleave.</para>
/// <para>Registered by <c>AddKafkaTypedCore</c>; thread-safe; every read has its own consumer.</para>
/// </remarks>
public sealed class TopicReader(KafkaCluster cluster, IPayloadCodec codec, ILogger<TopicReader> logger)
{
    private const int Prefetch = 1024;

    /// <summary>Reads <paramref name="set"/>'s topic from <paramref name="start"/>.</summary>
    /// <typeparam name="TMessage">A member type, the set's <c>[Topic]</c> interface, or <see cref="IMessage"/>: records whose message is not a <typeparamref name="TMessage"/> are skipped.</typeparam>
    /// <param name="set">The message set (a generated <c>{Name}Set.Instance</c>).</param>
    /// <param name="start">Where each partition starts.</param>
    /// <param name="options">Which partitions, and whether to stop at the end; null for every partition and follow forever.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="MessageDeserializationException">A record cannot be read (unless <see cref="TopicReadOptions.SkipUnreadable"/>).</exception>
    public async IAsyncEnumerable<TopicRecord<TMessage>> ReadAsync<TMessage>(MessageSetDefinition set, ReadStart start, TopicReadOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(set);
        options ??= new TopicReadOptions();
        await codec.PrepareAsync(set, cancellationToken).ConfigureAwait(false);

        // The embedded cluster (librdkafka's mock) does not look offsets up by time: it answers "end" for every
        // timestamp. There the read starts at the beginning and records older than the time are skipped here.
        DateTimeOffset? skipBefore = null;
        if (start.Time is { } time && Embedded.EmbeddedKafkaCluster.IsEmbedded(cluster.BootstrapServers))
        {
            skipBefore = time;
            start = ReadStart.Beginning;
        }

        var records = Channel.CreateBounded<ConsumeResult<byte[], byte[]>>(new BoundedChannelOptions(Prefetch) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poller = StartPolling(set, start, options, records.Writer, stop.Token);
        try
        {
            await foreach (var record in records.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var value = record.Message.Value;
                if (value is null || (skipBefore is { } before && record.Message.Timestamp.UtcDateTime < before.UtcDateTime))
                {
                    continue; // a tombstone (message topics carry none, a compacted cache topic does), or before the start time
                }

                var preparation = codec.PrepareToReadAsync(set, value, cancellationToken);
                if (!preparation.IsCompletedSuccessfully)
                {
                    await preparation.ConfigureAwait(false);
                }

                if (!TryParse(set, record, value, out var message, out var error))
                {
                    if (options.SkipUnreadable)
                    {
                        ConsumingLog.ReaderSkipped(logger, record.Topic, record.Partition.Value, record.Offset.Value, error);
                        continue;
                    }

                    throw new MessageDeserializationException(record, error);
                }

                if (message is TMessage typed)
                {
                    var context = new MessageContext(record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key, record.Message.Headers, record.Message.Timestamp.UtcDateTime, 1, groupId: null);
                    yield return new TopicRecord<TMessage>(typed, context);
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await poller.ConfigureAwait(false);
        }

        // The poller's own failure (no such topic, a broker error at start) ends the read with its exception.
        await records.Reader.Completion.ConfigureAwait(false);
    }

    private bool TryParse(MessageSetDefinition set, ConsumeResult<byte[], byte[]> record, byte[] value, out IMessage? message, out string error)
    {
        message = null;
        if (!codec.TryReadHeader(set, value, out var index, out var headerLength, out var headerError))
        {
            error = headerError ?? "the value header is invalid";
            return false;
        }

        var parser = set.ParserOf(index);
        if (parser is null)
        {
            error = $"{set} has no parser for message index {index}: rebuild with the current KafkaTyped generator (or override MessageSetDefinition.ParserOf)";
            return false;
        }

        try
        {
            message = parser.ParseFrom(value.AsSpan(headerLength));
            error = string.Empty;
            return true;
        }
        catch (InvalidProtocolBufferException exception)
        {
            error = $"the payload is not a valid {set.MessageNames[index]}: {exception.Message}";
            return false;
        }
    }

    /// <summary>Assigns the partitions and polls on a thread of its own (the client's calls block), feeding the channel.</summary>
    private Task StartPolling(MessageSetDefinition set, ReadStart start, TopicReadOptions options, ChannelWriter<ConsumeResult<byte[], byte[]>> writer, CancellationToken stop)
    {
        var config = cluster.CreateConsumerConfig(groupId: null);
        config.GroupId = $"kafkatyped-reader-{Guid.NewGuid():N}"; // required by librdkafka; never joined, nothing committed
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.EnablePartitionEof = options.StopAtEnd;
        RecordFields.KeepTopic(config);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            Exception? failure = null;
            try
            {
                using var consumer = new ConsumerBuilder<byte[], byte[]>(config)
                    .SetLogHandler((_, message) => ConsumingLog.Librdkafka(logger, message.Name, message.Message))
                    .Build();
                var partitions = Partitions(consumer, set, options);
                var positions = Positions(consumer, partitions, start);
                var open = new HashSet<int>(partitions.Select(static p => p.Partition.Value));
                if (options.StopAtEnd)
                {
                    // Partitions with nothing to read at all end at once.
                    foreach (var partition in partitions)
                    {
                        var marks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(30));
                        if (marks.High.Value == 0)
                        {
                            open.Remove(partition.Partition.Value);
                        }
                    }
                }

                consumer.Assign(positions);
                while (!stop.IsCancellationRequested && (!options.StopAtEnd || open.Count > 0))
                {
                    var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (record is null)
                    {
                        continue;
                    }

                    if (record.IsPartitionEOF)
                    {
                        open.Remove(record.Partition.Value);
                        continue;
                    }

                    // Waits while the reader is behind: the channel is bounded, so memory is too.
                    while (!writer.TryWrite(record))
                    {
                        if (!writer.WaitToWriteAsync(stop).AsTask().Wait(TimeSpan.FromMilliseconds(100)) && stop.IsCancellationRequested)
                        {
                            break;
                        }
                    }
                }

                consumer.Close();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (AggregateException exception) when (stop.IsCancellationRequested && exception.InnerException is OperationCanceledException)
            {
            }
            catch (Exception exception)
            {
                failure = exception;
            }
            finally
            {
                writer.TryComplete(failure);
                done.TrySetResult();
            }
        })
        { IsBackground = true, Name = "kafkatyped-reader-" + set.Topic }.Start();
        return done.Task;
    }

    private static List<TopicPartition> Partitions(IConsumer<byte[], byte[]> consumer, MessageSetDefinition set, TopicReadOptions options)
    {
        if (options.Partitions is { Count: > 0 } chosen)
        {
            return [.. chosen.Select(p => new TopicPartition(set.Topic, p))];
        }

        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var topic = admin.GetMetadata(set.Topic, TimeSpan.FromSeconds(30)).Topics.FirstOrDefault();
        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
        {
            throw new InvalidOperationException($"Topic '{set.Topic}' cannot be read: {topic?.Error.Reason ?? "it does not exist"}.");
        }

        return [.. topic.Partitions.Select(p => new TopicPartition(set.Topic, p.PartitionId)).OrderBy(static p => p.Partition.Value)];
    }

    private static List<TopicPartitionOffset> Positions(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, ReadStart start)
    {
        if (start.Time is { } time)
        {
            var timestamp = new Timestamp(time);
            return consumer.OffsetsForTimes(partitions.Select(p => new TopicPartitionTimestamp(p, timestamp)), TimeSpan.FromSeconds(30));
        }

        var offset = start.Offset switch
        {
            null => Offset.Beginning,
            ReadStart.EndOffset => Offset.End,
            var o => new Offset(o.Value),
        };
        return [.. partitions.Select(p => new TopicPartitionOffset(p, offset))];
    }
}

/// <summary>Where a <see cref="TopicReader"/> starts in each partition.</summary>
public readonly record struct ReadStart
{
    internal const long EndOffset = -1;

    private ReadStart(long? offset, DateTimeOffset? time)
    {
        Offset = offset;
        Time = time;
    }

    /// <summary>The oldest record still in each partition (the console's <c>--from-beginning</c>).</summary>
    public static ReadStart Beginning => default;

    /// <summary>Only records written from now on.</summary>
    public static ReadStart End => new(EndOffset, null);

    internal long? Offset { get; }

    internal DateTimeOffset? Time { get; }

    /// <summary>This offset in every chosen partition (usually with one partition chosen).</summary>
    public static ReadStart AtOffset(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return new(offset, null);
    }

    /// <summary>
    /// The first record at or after <paramref name="time"/> in each partition (its end when there is none). Looked up by
    /// the brokers; on the embedded cluster, whose brokers cannot, the reader skips older records itself.
    /// </summary>
    public static ReadStart AtTime(DateTimeOffset time) => new(null, time);
}

/// <summary>What a <see cref="TopicReader"/> reads.</summary>
public sealed class TopicReadOptions
{
    /// <summary>The partitions to read; empty (the default) for all of them.</summary>
    public IReadOnlyList<int> Partitions { get; init; } = [];

    /// <summary>Stop once every partition reached the end it had when the read started; false (the default) follows new records until cancelled.</summary>
    public bool StopAtEnd { get; init; }

    /// <summary>Log and skip records that cannot be read, instead of ending the read with a <see cref="MessageDeserializationException"/>.</summary>
    public bool SkipUnreadable { get; init; }
}

/// <summary>A message read by a <see cref="TopicReader"/>, with where it came from.</summary>
/// <typeparam name="TMessage">The message type asked for.</typeparam>
/// <param name="Message">The message.</param>
/// <param name="Context">Topic, partition, offset, key, headers and timestamp (no group, attempt 1).</param>
public readonly record struct TopicRecord<TMessage>(TMessage Message, MessageContext Context);
