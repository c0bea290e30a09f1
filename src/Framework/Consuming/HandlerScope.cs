namespace KafkaTyped.Consuming;

/// <summary>Which DI scope a consumer group resolves its handlers (and their scoped dependencies) from.</summary>
public enum HandlerScope
{
    /// <summary>
    /// One scope for a run of messages that one partition lane handles back to back (at most
    /// <see cref="ConsumerGroupOptions.MaxMessagesPerScope"/>; when the lane runs dry the scope ends). A failed attempt
    /// ends its scope at once, so a retry, and the messages after it, start with fresh scoped services. The default:
    /// under load the scope's cost is shared by many messages; under light load each message gets its own scope anyway.
    /// </summary>
    PerBatch,

    /// <summary>A fresh scope for every attempt of every message: the most isolation, about 0.1 µs and 330 B more per message than <see cref="PerBatch"/> under load.</summary>
    PerMessage,

    /// <summary>No scope: handlers come from the root provider and must be singletons or transient, with no scoped dependencies.</summary>
    Root,
}
