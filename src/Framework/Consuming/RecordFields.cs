using Confluent.Kafka;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;

namespace KafkaTyped.Consuming;

/// <summary>
/// Chooses which fields of each consumed record Confluent.Kafka marshals (<c>dotnet.consumer.consume.result.fields</c>).
/// Marshalling the topic name decodes it from UTF-8 into a new string for every record (measured: about 5% of the poll
/// thread's time with data waiting), so a consumer that reads one topic skips it and the <see cref="PollLoop"/> fills it
/// in (the <c>onlyTopic</c> it is given).
/// </summary>
internal static class RecordFields
{
    /// <summary>
    /// A consumer group: headers and timestamp for the handlers' <see cref="MessageContext"/>, and the topic name only
    /// when the group reads several topics. A value the application set is kept; the topic name is added to it when the
    /// group needs it to tell its topics apart.
    /// </summary>
    public static void ChooseForGroup(ConsumerConfig config, IReadOnlyList<MessageSetDefinition> topics)
    {
        var fields = config.Get(ConfluentClientSettings.ConsumeResultFields) ?? "headers,timestamp";
        config.Set(ConfluentClientSettings.ConsumeResultFields, OnlyTopic(topics) is null ? ConfluentClientSettings.WithTopic(fields) : fields);
    }

    /// <summary>The topic every set of a group reads, or null when they read several (or none).</summary>
    public static string? OnlyTopic(IReadOnlyList<MessageSetDefinition> topics)
    {
        var only = topics.Count > 0 ? topics[0].Topic : null;
        foreach (var set in topics)
        {
            if (!string.Equals(set.Topic, only, StringComparison.Ordinal))
            {
                return null;
            }
        }

        return only;
    }

    /// <summary>A replica reads one topic and needs only keys and values, whatever the application set for its own consumers.</summary>
    public static void ChooseForReplica(ConsumerConfig config) => config.Set(ConfluentClientSettings.ConsumeResultFields, "none");

    /// <summary>A consumer that hands records on as they come (a topic reader): the application's choice, with the topic name.</summary>
    public static void KeepTopic(ConsumerConfig config)
    {
        if (config.Get(ConfluentClientSettings.ConsumeResultFields) is { } fields)
        {
            config.Set(ConfluentClientSettings.ConsumeResultFields, ConfluentClientSettings.WithTopic(fields));
        }
    }
}
