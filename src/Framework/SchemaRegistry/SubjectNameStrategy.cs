namespace KafkaTyped.SchemaRegistry;

/// <summary>How the subject a schema is registered under is named (Confluent's strategies).</summary>
public enum SubjectNameStrategy
{
    /// <summary><c>{topic}-value</c> or <c>{topic}-key</c> (the default).</summary>
    Topic,

    /// <summary>The message's full name, for example <c>shop.Order</c>.</summary>
    Record,

    /// <summary><c>{topic}-{full name}</c>.</summary>
    TopicRecord,
}

/// <summary>Builds subject names.</summary>
internal static class SubjectNames
{
    /// <summary>The subject for a message on a topic.</summary>
    /// <param name="strategy">The strategy.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="messageFullName">The Protobuf full name of the message, for example <c>shop.Order</c>.</param>
    /// <param name="isKey">True for the record key's schema.</param>
    public static string For(SubjectNameStrategy strategy, string topic, string messageFullName, bool isKey = false) => strategy switch
    {
        SubjectNameStrategy.Topic => topic + (isKey ? "-key" : "-value"),
        SubjectNameStrategy.Record => messageFullName,
        SubjectNameStrategy.TopicRecord => topic + "-" + messageFullName,
        _ => throw new ArgumentOutOfRangeException(nameof(strategy)),
    };
}
