namespace KafkaTyped.Framing;

/// <summary>
/// The Confluent message-index path of a message type inside its registered <c>.proto</c> file: the index among the
/// file's top-level messages, then the nested index at each level down.
/// </summary>
/// <remarks>
/// A value type that allocates nothing for the common one-level path (a top-level message); deeper paths keep the
/// levels after the first in an array. The default value is the path <c>[0]</c>.
/// </remarks>
internal readonly struct MessageIndexPath : IEquatable<MessageIndexPath>
{
    private readonly int first;
    private readonly int[]? rest;

    private MessageIndexPath(int first, int[]? rest)
    {
        this.first = first;
        this.rest = rest;
    }

    /// <summary>The number of levels (1 for a top-level message).</summary>
    public int Depth => 1 + (rest?.Length ?? 0);

    /// <summary>The index among the file's top-level messages.</summary>
    public int TopLevelIndex => first;

    /// <summary>True when the path names a top-level message.</summary>
    public bool IsTopLevel => rest is null;

    /// <summary>The index at one level.</summary>
    /// <param name="level">0 for the top level.</param>
    public int this[int level]
    {
        get
        {
            if (level == 0)
            {
                return first;
            }

            if (rest is null || (uint)(level - 1) >= (uint)rest.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(level));
            }

            return rest[level - 1];
        }
    }

    /// <summary>The path of a top-level message.</summary>
    /// <param name="index">The index among the file's top-level messages, 0 or more.</param>
    public static MessageIndexPath TopLevel(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new MessageIndexPath(index, null);
    }

    /// <summary>A path of one or more levels.</summary>
    /// <param name="indexes">The indexes, outermost first; each 0 or more.</param>
    public static MessageIndexPath Create(params int[] indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        if (indexes.Length == 0)
        {
            throw new ArgumentException("A message-index path has at least one level.", nameof(indexes));
        }

        foreach (var index in indexes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
        }

        return indexes.Length == 1 ? new MessageIndexPath(indexes[0], null) : new MessageIndexPath(indexes[0], indexes[1..]);
    }

    internal static MessageIndexPath FromParts(int first, int[]? rest) => new(first, rest);

    /// <summary>The levels as a new array (allocates; not for hot paths).</summary>
    public int[] ToArray()
    {
        var result = new int[Depth];
        result[0] = first;
        rest?.CopyTo(result, 1);
        return result;
    }

    /// <inheritdoc />
    public bool Equals(MessageIndexPath other)
    {
        if (first != other.first || Depth != other.Depth)
        {
            return false;
        }

        return rest is null || rest.AsSpan().SequenceEqual(other.rest);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MessageIndexPath other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(first);
        if (rest is not null)
        {
            foreach (var index in rest)
            {
                hash.Add(index);
            }
        }

        return hash.ToHashCode();
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(MessageIndexPath left, MessageIndexPath right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(MessageIndexPath left, MessageIndexPath right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(",", ToArray()) + "]";
}
