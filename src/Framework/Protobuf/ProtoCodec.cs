using System.Collections.Immutable;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// Encoders and comparers that generated message records call for the CLR types Protobuf has no scalar for
/// (timestamps, durations, Guids, decimals, byte arrays) and for collection equality. Not meant for direct use.
/// </summary>
/// <remarks>Stateless and thread-safe; the readers reuse one thread-static scratch message, so they never allocate.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ProtoCodec
{
    private const long UnixEpochTicks = 621_355_968_000_000_000L;
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    [ThreadStatic]
    private static SecondsNanosReader? t_reader;

    // ---- google.protobuf.Timestamp ----

    /// <summary>Writes a <c>google.protobuf.Timestamp</c> body (length prefix included).</summary>
    public static void WriteTimestamp(ref WriteContext output, DateTimeOffset value) => WriteSecondsNanos(ref output, TimestampParts(value.UtcTicks));

    /// <summary>Writes a <c>google.protobuf.Timestamp</c> body (length prefix included); local times are converted to UTC, unspecified ones are taken as UTC.</summary>
    public static void WriteTimestamp(ref WriteContext output, DateTime value) => WriteSecondsNanos(ref output, TimestampParts(UtcTicks(value)));

    /// <summary>The size of a Timestamp body, length prefix included.</summary>
    public static int TimestampSize(DateTimeOffset value) => SecondsNanosSize(TimestampParts(value.UtcTicks));

    /// <summary>The size of a Timestamp body, length prefix included.</summary>
    public static int TimestampSize(DateTime value) => SecondsNanosSize(TimestampParts(UtcTicks(value)));

    /// <summary>Reads a Timestamp as a UTC <see cref="DateTimeOffset"/> (sub-100 ns digits are truncated).</summary>
    public static DateTimeOffset ReadDateTimeOffset(ref ParseContext input) => new(TimestampTicks(ReadSecondsNanos(ref input)), TimeSpan.Zero);

    /// <summary>Reads a Timestamp as a UTC <see cref="DateTime"/>.</summary>
    public static DateTime ReadDateTime(ref ParseContext input) => new(TimestampTicks(ReadSecondsNanos(ref input)), DateTimeKind.Utc);

    /// <summary>
    /// Reads a Timestamp or Duration body into <paramref name="seconds"/> and <paramref name="nanos"/>, keeping what the
    /// body leaves out: the Protobuf merge of a sub-message that occurs more than once. Start both at 0 for a first read.
    /// </summary>
    public static void MergeSecondsNanos(ref ParseContext input, ref long seconds, ref int nanos)
    {
        SecondsNanosReader reader = t_reader ??= new SecondsNanosReader();
        reader.Seconds = seconds;
        reader.Nanos = nanos;
        input.ReadMessage(reader);
        seconds = reader.Seconds;
        nanos = reader.Nanos;
    }

    /// <summary>A Timestamp's seconds and nanos as a UTC <see cref="DateTimeOffset"/> (sub-100 ns digits are truncated).</summary>
    public static DateTimeOffset ToDateTimeOffset(long seconds, int nanos) => new(TimestampTicks((seconds, nanos)), TimeSpan.Zero);

    /// <summary>A Timestamp's seconds and nanos as a UTC <see cref="DateTime"/>.</summary>
    public static DateTime ToDateTime(long seconds, int nanos) => new(TimestampTicks((seconds, nanos)), DateTimeKind.Utc);

    /// <summary>A Duration's seconds and nanos as a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan ToTimeSpan(long seconds, int nanos) => new(checked((seconds * TicksPerSecond) + (nanos / 100)));

    /// <summary>Merges Timestamp <paramref name="from"/> into <paramref name="into"/> as Protobuf merges messages: non-zero seconds and nanos overwrite.</summary>
    public static DateTimeOffset MergeTimestamp(DateTimeOffset into, DateTimeOffset from)
    {
        (long s, int n) = MergeParts(TimestampParts(into.UtcTicks), TimestampParts(from.UtcTicks));
        return ToDateTimeOffset(s, n);
    }

    /// <summary>Merges Timestamp <paramref name="from"/> into <paramref name="into"/> as Protobuf merges messages: non-zero seconds and nanos overwrite.</summary>
    public static DateTime MergeTimestamp(DateTime into, DateTime from)
    {
        (long s, int n) = MergeParts(TimestampParts(UtcTicks(into)), TimestampParts(UtcTicks(from)));
        return ToDateTime(s, n);
    }

    /// <summary>Merges Duration <paramref name="from"/> into <paramref name="into"/> as Protobuf merges messages: non-zero seconds and nanos overwrite.</summary>
    public static TimeSpan MergeDuration(TimeSpan into, TimeSpan from)
    {
        (long s, int n) = MergeParts(DurationParts(into.Ticks), DurationParts(from.Ticks));
        return ToTimeSpan(s, n);
    }

    // ---- google.protobuf.Duration ----

    /// <summary>Writes a <c>google.protobuf.Duration</c> body (length prefix included).</summary>
    public static void WriteDuration(ref WriteContext output, TimeSpan value) => WriteSecondsNanos(ref output, DurationParts(value.Ticks));

    /// <summary>The size of a Duration body, length prefix included.</summary>
    public static int DurationSize(TimeSpan value) => SecondsNanosSize(DurationParts(value.Ticks));

    /// <summary>Reads a Duration as a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan ReadTimeSpan(ref ParseContext input)
    {
        (long seconds, int nanos) = ReadSecondsNanos(ref input);
        return new TimeSpan(checked((seconds * TicksPerSecond) + (nanos / 100)));
    }

    // ---- Guid as 16 RFC 4122 bytes ----

    /// <summary>Writes a Guid as a 16-byte <c>bytes</c> value in RFC 4122 (big-endian) order, length prefix included.</summary>
    public static void WriteGuid(ref WriteContext output, Guid value)
    {
        Span<byte> b = stackalloc byte[16];
        value.TryWriteBytes(b, bigEndian: true, out _);
        output.WriteLength(16);

        // WriteContext has no public raw-bytes writer; WriteRawTag writes up to 5 raw bytes and never allocates.
        output.WriteRawTag(b[0], b[1], b[2], b[3]);
        output.WriteRawTag(b[4], b[5], b[6], b[7]);
        output.WriteRawTag(b[8], b[9], b[10], b[11]);
        output.WriteRawTag(b[12], b[13], b[14], b[15]);
    }

    /// <summary>Reads a Guid written by <see cref="WriteGuid"/>; an empty value is <see cref="Guid.Empty"/>.</summary>
    public static Guid ReadGuid(ref ParseContext input)
    {
        ByteString bytes = input.ReadBytes();
        if (bytes.Length == 0)
        {
            return Guid.Empty;
        }

        if (bytes.Length != 16)
        {
            throw new FormatException($"A Guid field must hold 16 bytes, not {bytes.Length}.");
        }

        return new Guid(bytes.Span, bigEndian: true);
    }

    // ---- decimal as an invariant-culture string ----

    /// <summary>Formats a decimal exactly (scale kept), invariant culture: <c>-12.50</c>.</summary>
    public static string FormatDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a decimal written by <see cref="FormatDecimal"/>; an empty string is 0.</summary>
    public static decimal ParseDecimal(string value)
    {
        if (value.Length == 0)
        {
            return 0m;
        }

        if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal result))
        {
            throw new FormatException($"'{value}' is not a decimal number (invariant culture).");
        }

        return result;
    }

    /// <summary>True when a decimal is the proto3 default (zero with scale 0), which is not written.</summary>
    public static bool IsDefault(decimal value) => value == 0m && value.Scale == 0;

    // ---- bytes ----

    /// <summary>Reads a <c>bytes</c> value into a new array.</summary>
    public static byte[] ReadByteArray(ref ParseContext input)
    {
        ByteString bytes = input.ReadBytes();

        // ReadBytes copied the data into a fresh array already; hand it over instead of copying again.
        return MemoryMarshal.TryGetArray(bytes.Memory, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToByteArray();
    }

    /// <summary>The size of a <c>bytes</c> value, length prefix included (null counts as empty).</summary>
    public static int BytesSize(byte[]? value) => value is null ? 1 : CodedOutputStream.ComputeLengthSize(value.Length) + value.Length;

    /// <summary>The size of a <c>bytes</c> value, length prefix included.</summary>
    public static int BytesSize(ReadOnlyMemory<byte> value) => CodedOutputStream.ComputeLengthSize(value.Length) + value.Length;

    /// <summary>Writes a <c>bytes</c> value without copying it (null counts as empty).</summary>
    public static void WriteBytes(ref WriteContext output, byte[]? value) =>
        output.WriteBytes(value is null ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(value));

    /// <summary>Writes a <c>bytes</c> value without copying it.</summary>
    public static void WriteBytes(ref WriteContext output, ReadOnlyMemory<byte> value) => output.WriteBytes(UnsafeByteOperations.UnsafeWrap(value));

    // ---- messages ----

    /// <summary>Reads a length-delimited sub-message into <paramref name="message"/> (a new instance) and returns it.</summary>
    /// <remarks>The caller allocates: a generic <c>new T()</c> would go through <c>Activator</c>, which is several times slower.</remarks>
    public static T ReadMessage<T>(ref ParseContext input, T message)
        where T : IMessage
    {
        input.ReadMessage(message);
        return message;
    }

    /// <summary>Deep-clones a message record (null stays null).</summary>
    public static T? Clone<T>(T? message)
        where T : class, IDeepCloneable<T> => message?.Clone();

    // ---- collections (parsing appends, cloning copies) ----

    /// <summary>Appends parsed elements to a list; returns <paramref name="added"/> itself when there is nothing to keep.</summary>
    public static List<T> AppendList<T>(IReadOnlyList<T>? existing, IReadOnlyList<T> added)
    {
        if ((existing is null || existing.Count == 0) && added is List<T> list)
        {
            return list;
        }

        var result = new List<T>((existing?.Count ?? 0) + added.Count);
        if (existing is not null)
        {
            result.AddRange(existing);
        }

        result.AddRange(added);
        return result;
    }

    /// <summary>Appends parsed elements to an array.</summary>
    public static T[] AppendArray<T>(IReadOnlyList<T>? existing, IReadOnlyList<T> added)
    {
        int count = existing?.Count ?? 0;
        var result = new T[count + added.Count];
        for (int i = 0; i < count; i++)
        {
            result[i] = existing![i];
        }

        for (int i = 0; i < added.Count; i++)
        {
            result[count + i] = added[i];
        }

        return result;
    }

    /// <summary>Appends parsed elements to an immutable array.</summary>
    public static ImmutableArray<T> AppendImmutable<T>(ImmutableArray<T> existing, IReadOnlyList<T> added) =>
        existing.IsDefaultOrEmpty ? ImmutableArray.CreateRange(added) : existing.AddRange(added);

    /// <summary>Merges parsed entries into a map (later entries win); returns <paramref name="added"/> when there is nothing to keep.</summary>
    public static Dictionary<TKey, TValue> MergeMap<TKey, TValue>(IReadOnlyDictionary<TKey, TValue>? existing, Dictionary<TKey, TValue> added)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(added);
        if (existing is null || existing.Count == 0)
        {
            return added;
        }

        var result = new Dictionary<TKey, TValue>(existing.Count + added.Count);
        foreach (KeyValuePair<TKey, TValue> pair in existing)
        {
            result[pair.Key] = pair.Value;
        }

        foreach (KeyValuePair<TKey, TValue> pair in added)
        {
            result[pair.Key] = pair.Value;
        }

        return result;
    }

    /// <summary>A deep copy of a list: message elements are cloned.</summary>
    public static List<T> CopyList<T>(IReadOnlyList<T>? source)
    {
        var result = new List<T>(source?.Count ?? 0);
        if (source is not null)
        {
            for (int i = 0; i < source.Count; i++)
            {
                result.Add(CloneElement(source[i]));
            }
        }

        return result;
    }

    /// <summary>A deep copy of an array: message elements are cloned.</summary>
    public static T[] CopyArray<T>(IReadOnlyList<T>? source) => CopyList(source).ToArray();

    /// <summary>A deep copy of an immutable array: message elements are cloned.</summary>
    public static ImmutableArray<T> CopyImmutable<T>(ImmutableArray<T> source) =>
        source.IsDefaultOrEmpty ? ImmutableArray<T>.Empty : ImmutableArray.CreateRange(CopyList<T>(source));

    /// <summary>A deep copy of a map: message values are cloned.</summary>
    public static Dictionary<TKey, TValue> CopyMap<TKey, TValue>(IReadOnlyDictionary<TKey, TValue>? source)
        where TKey : notnull
    {
        var result = new Dictionary<TKey, TValue>(source?.Count ?? 0);
        if (source is not null)
        {
            foreach (KeyValuePair<TKey, TValue> pair in source)
            {
                result.Add(pair.Key, CloneElement(pair.Value));
            }
        }

        return result;
    }

    private static T CloneElement<T>(T value) => value switch
    {
        IDeepCloneable<T> message => message.Clone(),
        byte[] bytes => (T)(object)bytes.AsSpan().ToArray(),
        _ => value,
    };

    // ---- conversions used by the reflection adapters (JsonFormatter, descriptors) ----

    /// <summary>A Guid as a 16-byte RFC 4122 ByteString.</summary>
    public static ByteString ToByteString(Guid value)
    {
        Span<byte> b = stackalloc byte[16];
        value.TryWriteBytes(b, bigEndian: true, out _);
        return ByteString.CopyFrom(b);
    }

    /// <summary>A 16-byte RFC 4122 ByteString as a Guid (empty is <see cref="Guid.Empty"/>).</summary>
    public static Guid ToGuid(ByteString value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 ? Guid.Empty : new Guid(value.Span, bigEndian: true);
    }

    /// <summary>A DateTime as a Timestamp: local times converted to UTC, unspecified ones taken as UTC.</summary>
    public static Google.Protobuf.WellKnownTypes.Timestamp ToTimestamp(DateTime value) =>
        Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc));

    // ---- equality (Protobuf semantics: collections by content, NaN equals NaN) ----

    /// <summary>Compares byte arrays by content; null equals empty.</summary>
    public static bool BytesEqual(byte[]? a, byte[]? b) => a.AsSpan().SequenceEqual(b.AsSpan());

    /// <summary>Compares byte memories by content.</summary>
    public static bool BytesEqual(ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b) => a.Span.SequenceEqual(b.Span);

    /// <summary>Compares lists element by element; null equals empty.</summary>
    public static bool ListEqual<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b)
    {
        int count = a?.Count ?? 0;
        if (count != (b?.Count ?? 0))
        {
            return false;
        }

        IEqualityComparer<T> comparer = ElementComparer<T>.Instance;
        for (int i = 0; i < count; i++)
        {
            if (!comparer.Equals(a![i], b![i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compares immutable arrays element by element; default equals empty.</summary>
    public static bool ListEqual<T>(ImmutableArray<T> a, ImmutableArray<T> b)
    {
        ReadOnlySpan<T> x = a.IsDefault ? default : a.AsSpan();
        ReadOnlySpan<T> y = b.IsDefault ? default : b.AsSpan();
        if (x.Length != y.Length)
        {
            return false;
        }

        IEqualityComparer<T> comparer = ElementComparer<T>.Instance;
        for (int i = 0; i < x.Length; i++)
        {
            if (!comparer.Equals(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compares maps by content, ignoring order; null equals empty.</summary>
    public static bool MapEqual<TKey, TValue>(IReadOnlyDictionary<TKey, TValue>? a, IReadOnlyDictionary<TKey, TValue>? b)
    {
        int count = a?.Count ?? 0;
        if (count != (b?.Count ?? 0))
        {
            return false;
        }

        if (count == 0)
        {
            return true;
        }

        IEqualityComparer<TValue> comparer = ElementComparer<TValue>.Instance;
        foreach (KeyValuePair<TKey, TValue> pair in a!)
        {
            if (!b!.TryGetValue(pair.Key, out TValue? other) || !comparer.Equals(pair.Value, other))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Count of a list for hashing; null counts as empty.</summary>
    public static int CountOf<T>(IReadOnlyCollection<T>? items) => items?.Count ?? 0;

    // ---- internals ----

    private static long UtcTicks(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks;

    private static (long Seconds, int Nanos) TimestampParts(long utcTicks)
    {
        long sinceEpoch = utcTicks - UnixEpochTicks;
        long seconds = Math.DivRem(sinceEpoch, TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            // Timestamp nanos are never negative: borrow one second.
            seconds--;
            remainder += TicksPerSecond;
        }

        return (seconds, (int)(remainder * 100));
    }

    private static (long Seconds, int Nanos) MergeParts((long Seconds, int Nanos) into, (long Seconds, int Nanos) from) =>
        (from.Seconds != 0 ? from.Seconds : into.Seconds, from.Nanos != 0 ? from.Nanos : into.Nanos);

    private static long TimestampTicks((long Seconds, int Nanos) parts) => checked(UnixEpochTicks + (parts.Seconds * TicksPerSecond) + (parts.Nanos / 100));

    private static (long Seconds, int Nanos) DurationParts(long ticks)
    {
        // Duration seconds and nanos share the sign (both truncate toward zero).
        long seconds = Math.DivRem(ticks, TicksPerSecond, out long remainder);
        return (seconds, (int)(remainder * 100));
    }

    private static int SecondsNanosSize((long Seconds, int Nanos) parts)
    {
        int inner = InnerSize(parts);
        return CodedOutputStream.ComputeLengthSize(inner) + inner;
    }

    private static int InnerSize((long Seconds, int Nanos) parts) =>
        (parts.Seconds != 0 ? 1 + CodedOutputStream.ComputeInt64Size(parts.Seconds) : 0)
        + (parts.Nanos != 0 ? 1 + CodedOutputStream.ComputeInt32Size(parts.Nanos) : 0);

    private static void WriteSecondsNanos(ref WriteContext output, (long Seconds, int Nanos) parts)
    {
        output.WriteLength(InnerSize(parts));
        if (parts.Seconds != 0)
        {
            output.WriteRawTag(8);
            output.WriteInt64(parts.Seconds);
        }

        if (parts.Nanos != 0)
        {
            output.WriteRawTag(16);
            output.WriteInt32(parts.Nanos);
        }
    }

    private static (long Seconds, int Nanos) ReadSecondsNanos(ref ParseContext input)
    {
        SecondsNanosReader reader = t_reader ??= new SecondsNanosReader();
        reader.Seconds = 0;
        reader.Nanos = 0;
        input.ReadMessage(reader);
        return (reader.Seconds, reader.Nanos);
    }

    /// <summary>Compares elements with Protobuf semantics: byte arrays by content, everything else by its own equality.</summary>
    private static class ElementComparer<T>
    {
        // ReadOnlyMemory<byte>'s own equality compares the memory's identity, not its bytes.
        public static readonly IEqualityComparer<T> Instance =
            typeof(T) == typeof(byte[]) ? (IEqualityComparer<T>)(object)ByteArrayComparer.Instance
            : typeof(T) == typeof(ReadOnlyMemory<byte>) ? (IEqualityComparer<T>)(object)MemoryComparer.Instance
            : EqualityComparer<T>.Default;
    }

    private sealed class MemoryComparer : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly MemoryComparer Instance = new();

        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => BytesEqual(x, y);

        public int GetHashCode(ReadOnlyMemory<byte> obj) => obj.Length;
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => BytesEqual(x, y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }

    /// <summary>
    /// A scratch message for the two-field shape shared by Timestamp and Duration: <c>ParseContext</c> exposes sub-message
    /// limits only through <c>ReadMessage(IMessage)</c>, so reading one without allocating needs a reusable message.
    /// </summary>
    private sealed class SecondsNanosReader : IBufferMessage
    {
        public long Seconds;
        public int Nanos;

        public MessageDescriptor Descriptor => Google.Protobuf.WellKnownTypes.Timestamp.Descriptor;

        public int CalculateSize() => throw new NotSupportedException();

        public void MergeFrom(CodedInputStream input) => input.ReadRawMessage(this);

        public void WriteTo(CodedOutputStream output) => throw new NotSupportedException();

        public void InternalWriteTo(ref WriteContext output) => throw new NotSupportedException();

        public void InternalMergeFrom(ref ParseContext input)
        {
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (tag)
                {
                    case 8:
                        Seconds = input.ReadInt64();
                        break;
                    case 16:
                        Nanos = input.ReadInt32();
                        break;
                    default:
                        if ((tag & 7) == 4)
                        {
                            return;
                        }

                        // Unknown fields inside a Timestamp/Duration are skipped.
                        UnknownFieldSet.MergeFieldFrom(null, ref input);
                        break;
                }
            }
        }
    }
}
