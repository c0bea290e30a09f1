using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaTyped.Consuming;

namespace KafkaTyped.Testing;

/// <summary>A message read from a topic by <see cref="KafkaTestHost.WaitForMessageAsync{T}"/>.</summary>
/// <typeparam name="T">The message type.</typeparam>
/// <param name="Message">The deserialized message.</param>
/// <param name="Key">The record key as UTF-8 text (null for a null or empty key).</param>
/// <param name="Position">Where the record is.</param>
/// <param name="Headers">The record headers (empty when it had none).</param>
public sealed record ConsumedMessage<T>(T Message, string? Key, TopicPartitionOffset Position, Headers Headers);

/// <summary>What a consumer group did with one record (<see cref="KafkaTestHost.WaitUntilProcessedAsync"/>).</summary>
/// <param name="GroupId">The consumer group.</param>
/// <param name="Position">The record.</param>
/// <param name="DeadLetter">The record's dead letter when the group gave up on it; null when a handler handled it (or the group has no handler for its type).</param>
public sealed record ProcessingOutcome(string GroupId, TopicPartitionOffset Position, DeadLetter? DeadLetter)
{
    /// <summary>True when the group handled the record; false when it dead-lettered it.</summary>
    public bool Handled => DeadLetter is null;

    /// <inheritdoc />
    public override string ToString() => Handled
        ? $"group '{GroupId}' handled {Describe.Position(Position)}"
        : $"group '{GroupId}' dead-lettered {Describe.Position(Position)}: {DeadLetter}";
}

/// <summary>A record in a dead-letter topic, with the error headers the consumer group wrote (see <see cref="DeadLetterHeaders"/>).</summary>
/// <param name="Position">Where the dead letter is (in the dead-letter topic).</param>
/// <param name="OriginalPosition">The record the group gave up on.</param>
/// <param name="GroupId">The group that gave up on it.</param>
/// <param name="ExceptionType">The full type name of the last exception.</param>
/// <param name="ExceptionMessage">The last exception's message.</param>
/// <param name="Attempts">Dispatch attempts made.</param>
/// <param name="Message">The original message, deserialized with the topic's message set (null when it could not be read: for example a value that was never a valid message).</param>
/// <param name="Key">The record key as UTF-8 text (null for a null or empty key).</param>
/// <param name="Headers">All headers of the dead letter.</param>
public sealed record DeadLetter(
    TopicPartitionOffset Position,
    TopicPartitionOffset OriginalPosition,
    string GroupId,
    string ExceptionType,
    string ExceptionMessage,
    int Attempts,
    object? Message,
    string? Key,
    Headers Headers)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{ExceptionType}: {ExceptionMessage} (group '{GroupId}', {Attempts} attempt(s), from {Describe.Position(OriginalPosition)})";

    /// <summary>Reads a dead-letter record; null when it lacks the original-position headers.</summary>
    internal static DeadLetter? From(ConsumeResult<byte[], byte[]> record, Func<byte[]?, object?> decode)
    {
        var headers = record.Message.Headers ?? [];
        var topic = Text(headers, DeadLetterHeaders.OriginalTopic);
        var partition = Text(headers, DeadLetterHeaders.OriginalPartition);
        var offset = Text(headers, DeadLetterHeaders.OriginalOffset);
        if (topic is null || !int.TryParse(partition, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p)
            || !long.TryParse(offset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var o))
        {
            return null;
        }

        _ = int.TryParse(Text(headers, DeadLetterHeaders.Attempts), NumberStyles.Integer, CultureInfo.InvariantCulture, out var attempts);
        return new DeadLetter(
            record.TopicPartitionOffset,
            new TopicPartitionOffset(topic, p, o),
            Text(headers, DeadLetterHeaders.ConsumerGroup) ?? string.Empty,
            Text(headers, DeadLetterHeaders.ExceptionType) ?? string.Empty,
            Text(headers, DeadLetterHeaders.ExceptionMessage) ?? string.Empty,
            attempts,
            decode(record.Message.Value),
            Describe.Key(record.Message.Key),
            headers);
    }

    private static string? Text(Headers headers, string key) =>
        headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}

/// <summary>Wording shared by results and failure messages.</summary>
internal static class Describe
{
    public static string Position(TopicPartitionOffset position) =>
        $"{position.Topic}[{position.Partition.Value}]@{position.Offset.Value}";

    public static string? Key(byte[]? key) => key is null || key.Length == 0 ? null : Encoding.UTF8.GetString(key);
}
