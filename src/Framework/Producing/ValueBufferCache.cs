using KafkaTyped.GeneratedCode;
namespace KafkaTyped.Producing;

/// <summary>
/// Per-thread, exactly sized key and value arrays for sends whose serialized bytes nobody can observe afterwards.
/// </summary>
/// <remarks>
/// <para>Why this is safe: Confluent.Kafka (1.9 through 2.16) pins the value array only for the duration of <c>rd_kafka_producev</c>
/// and passes <c>RD_KAFKA_MSG_F_COPY</c> (<c>SafeKafkaHandle.Produce</c>), so librdkafka owns a copy before
/// <c>Produce</c> returns. Typed producers hand the client the typed key and message (see
/// <see cref="MessageSender{TKey, TMessage}"/>), so delivery reports and results carry those objects, never the arrays:
/// the arrays can go back to the cache as soon as the client's <c>Produce</c> or <c>ProduceAsync</c> call returns.</para>
/// <para>The cache is direct-mapped by length (one array per slot, replaced when another length maps there), so it
/// keeps at most <see cref="Slots"/> arrays of at most <see cref="MaxLength"/> bytes per producing thread and table. A
/// rented array is taken out of its slot until it is returned, so a re-entrant produce on the same thread never
/// shares it.</para>
/// </remarks>
internal static class ValueBufferCache
{
    /// <summary>Longer values are allocated per message: their copy costs far more than the allocation.</summary>
    internal const int MaxLength = 4096;

    private const int Slots = 32;

    [ThreadStatic]
    private static byte[]?[]? values;

    [ThreadStatic]
    private static byte[]?[]? keys;

    [ThreadStatic]
    private static byte[]? sendKey;

    [ThreadStatic]
    private static byte[]? sendValue;

    /// <summary>An array of exactly <paramref name="length"/> bytes (contents undefined), cached or new.</summary>
    /// <param name="length">The exact length.</param>
    /// <param name="forKey">Keys have their own table, so that a key and a value of one message never evict each other.</param>
    private static byte[] Rent(int length, bool forKey)
    {
        if (length > MaxLength)
        {
            return new byte[length];
        }

        var table = Table(forKey);
        ref var slot = ref table[length & (Slots - 1)];
        var array = slot;
        if (array is not null && array.Length == length)
        {
            slot = null;
            return array;
        }

        return GC.AllocateUninitializedArray<byte>(length);
    }

    /// <summary>Gives an array from <see cref="Rent"/> back once librdkafka has copied it.</summary>
    private static void Return(byte[] array, bool forKey)
    {
        if (array.Length <= MaxLength)
        {
            Table(forKey)[array.Length & (Slots - 1)] = array;
        }
    }

    /// <summary>
    /// As <see cref="Rent"/>, for a serializer the client calls inside one send on this thread: the array is remembered
    /// and given back by <see cref="ReturnSendBuffers"/> when the send returns.
    /// </summary>
    internal static byte[] RentForSend(int length, bool forKey)
    {
        var array = Rent(length, forKey);
        if (forKey)
        {
            sendKey = array;
        }
        else
        {
            sendValue = array;
        }

        return array;
    }

    /// <summary>Returns the arrays <see cref="RentForSend"/> handed out during the send that just returned on this thread.</summary>
    internal static void ReturnSendBuffers()
    {
        if (sendKey is { } key)
        {
            sendKey = null;
            Return(key, forKey: true);
        }

        if (sendValue is { } value)
        {
            sendValue = null;
            Return(value, forKey: false);
        }
    }

    private static byte[]?[] Table(bool forKey) => forKey ? keys ??= new byte[Slots][] : values ??= new byte[Slots][];
}
