using System.Collections;

namespace KafkaTyped;

/// <summary>
/// The messages of one <see cref="IHandleBatch{TMessage}"/> call: consecutive records of one partition, in offset order,
/// each with its <see cref="MessageContext"/>.
/// </summary>
/// <typeparam name="TMessage">The message type.</typeparam>
/// <remarks>Immutable; <see cref="AsSpan"/> reads it without allocating.</remarks>
public sealed class MessageBatch<TMessage> : IReadOnlyList<TMessage>
    where TMessage : class
{
    private readonly TMessage[] messages;
    private readonly MessageContext[] contexts;

    /// <summary>Creates a batch (for tests of batch handlers; the engine builds its own).</summary>
    /// <param name="messages">The messages, in offset order.</param>
    /// <param name="contexts">One context per message, same order.</param>
    /// <exception cref="ArgumentException">The lists are empty or differ in length.</exception>
    public MessageBatch(IReadOnlyList<TMessage> messages, IReadOnlyList<MessageContext> contexts)
        : this(Copy(messages), Copy(contexts))
    {
    }

    internal MessageBatch(TMessage[] messages, MessageContext[] contexts)
    {
        if (messages.Length == 0 || messages.Length != contexts.Length)
        {
            throw new ArgumentException($"A batch needs at least one message and one context per message ({messages.Length} messages, {contexts.Length} contexts).", nameof(contexts));
        }

        this.messages = messages;
        this.contexts = contexts;
    }

    /// <summary>The number of messages (at least 1).</summary>
    public int Count => messages.Length;

    /// <summary>The message at <paramref name="index"/>.</summary>
    public TMessage this[int index] => messages[index];

    /// <summary>The topic every message of the batch was read from.</summary>
    public string Topic => contexts[0].Topic;

    /// <summary>The partition every message of the batch was read from.</summary>
    public int Partition => contexts[0].Partition;

    /// <summary>The offset of the first message.</summary>
    public long FirstOffset => contexts[0].Offset;

    /// <summary>The offset of the last message.</summary>
    public long LastOffset => contexts[^1].Offset;

    /// <summary>1 for the first delivery of this batch to the handler, 2 for the first retry, and so on.</summary>
    public int Attempt => contexts[0].Attempt;

    /// <summary>Where the message at <paramref name="index"/> came from: offset, key, headers, timestamp.</summary>
    public MessageContext ContextAt(int index) => contexts[index];

    /// <summary>The messages as a span: <c>foreach</c> over it allocates nothing.</summary>
    public ReadOnlySpan<TMessage> AsSpan() => messages;

    /// <inheritdoc />
    public IEnumerator<TMessage> GetEnumerator() => ((IEnumerable<TMessage>)messages).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => messages.GetEnumerator();

    private static T[] Copy<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var copy = new T[items.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = items[i];
        }

        return copy;
    }
}
