using System.Collections;
using System.ComponentModel;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// A live view of a repeated record field whose CLR element type is not the Protobuf one (timestamps, durations, Guids,
/// decimals, byte arrays), as Google.Protobuf's reflection sees it. <c>JsonParser</c> fills a repeated field by adding to
/// the list the field accessor returns, so a copy would lose what it adds; this view converts each element and writes
/// the changed list back into the record. Generated code creates it; it is not meant for direct use.
/// </summary>
/// <typeparam name="TOwner">The message record.</typeparam>
/// <typeparam name="TClr">The element type of the record's property.</typeparam>
/// <typeparam name="TWire">The element type Google.Protobuf uses for the field.</typeparam>
/// <param name="owner">The record that holds the field.</param>
/// <param name="get">Reads the field's current elements (null when unset).</param>
/// <param name="set">Stores changed elements back into the field, converted to its collection type.</param>
/// <param name="toWire">Converts an element to its Protobuf form.</param>
/// <param name="fromWire">Converts an element from its Protobuf form.</param>
/// <remarks>Reflection path only (JSON, descriptors): the binary codec never goes through it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ReflectionList<TOwner, TClr, TWire>(TOwner owner, Func<TOwner, IReadOnlyList<TClr>?> get, Action<TOwner, List<TClr>> set, Func<TClr, TWire> toWire, Func<TWire, TClr> fromWire) : IList
{
    private List<TClr>? _items;

    /// <inheritdoc />
    public int Count => Current?.Count ?? 0;

    /// <inheritdoc />
    public bool IsFixedSize => false;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <inheritdoc />
    public bool IsSynchronized => false;

    /// <inheritdoc />
    public object SyncRoot => this;

    private IReadOnlyList<TClr>? Current => _items ?? get(owner);

    /// <inheritdoc />
    public object? this[int index]
    {
        get => Current is { } items ? toWire(items[index]) : throw new ArgumentOutOfRangeException(nameof(index));
        set => Change(items => items[index] = fromWire(Wire(value)));
    }

    /// <inheritdoc />
    public int Add(object? value)
    {
        TClr item = fromWire(Wire(value));
        Change(items => items.Add(item));
        return Count - 1;
    }

    /// <inheritdoc />
    public void Clear() => Change(static items => items.Clear());

    /// <inheritdoc />
    public bool Contains(object? value) => IndexOf(value) >= 0;

    /// <inheritdoc />
    public int IndexOf(object? value)
    {
        IReadOnlyList<TClr>? items = Current;
        if (items is null || value is not TWire wire)
        {
            return -1;
        }

        for (int i = 0; i < items.Count; i++)
        {
            if (EqualityComparer<TWire>.Default.Equals(toWire(items[i]), wire))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public void Insert(int index, object? value)
    {
        TClr item = fromWire(Wire(value));
        Change(items => items.Insert(index, item));
    }

    /// <inheritdoc />
    public void Remove(object? value)
    {
        int index = IndexOf(value);
        if (index >= 0)
        {
            RemoveAt(index);
        }
    }

    /// <inheritdoc />
    public void RemoveAt(int index) => Change(items => items.RemoveAt(index));

    /// <inheritdoc />
    public void CopyTo(Array array, int index)
    {
        ArgumentNullException.ThrowIfNull(array);
        IReadOnlyList<TClr>? items = Current;
        for (int i = 0; items is not null && i < items.Count; i++)
        {
            array.SetValue(toWire(items[i]), index + i);
        }
    }

    /// <inheritdoc />
    public IEnumerator GetEnumerator()
    {
        IReadOnlyList<TClr>? items = Current;
        var wire = new List<TWire>(items?.Count ?? 0);
        for (int i = 0; items is not null && i < items.Count; i++)
        {
            wire.Add(toWire(items[i]));
        }

        return wire.GetEnumerator();
    }

    /// <summary>The elements in their Protobuf form, for debugging and record printing.</summary>
    /// <returns>The elements as <c>[a, b]</c>.</returns>
    public override string ToString()
    {
        var parts = new List<string?>();
        foreach (object? item in this)
        {
            parts.Add(item?.ToString());
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    private static TWire Wire(object? value) =>
        value is TWire wire ? wire : throw new ArgumentException($"Expected a {typeof(TWire).Name}, got {value?.GetType().Name ?? "null"}.", nameof(value));

    private void Change(Action<List<TClr>> change)
    {
        // The first change copies what the record holds (it may be shared or immutable); later ones edit that copy.
        _items ??= new List<TClr>(get(owner) ?? []);
        change(_items);
        set(owner, _items);
    }
}

/// <summary>
/// A live view of a map record field whose CLR value type is not the Protobuf one, as Google.Protobuf's reflection sees
/// it (see <see cref="ReflectionList{TOwner, TClr, TWire}"/>): <c>JsonParser</c> fills a map through the dictionary the
/// field accessor returns. Generated code creates it; it is not meant for direct use.
/// </summary>
/// <typeparam name="TOwner">The message record.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TClr">The value type of the record's property.</typeparam>
/// <typeparam name="TWire">The value type Google.Protobuf uses for the field.</typeparam>
/// <param name="owner">The record that holds the field.</param>
/// <param name="get">Reads the field's current entries (null when unset).</param>
/// <param name="set">Stores changed entries back into the field.</param>
/// <param name="toWire">Converts a value to its Protobuf form.</param>
/// <param name="fromWire">Converts a value from its Protobuf form.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ReflectionMap<TOwner, TKey, TClr, TWire>(TOwner owner, Func<TOwner, IReadOnlyDictionary<TKey, TClr>?> get, Action<TOwner, Dictionary<TKey, TClr>> set, Func<TClr, TWire> toWire, Func<TWire, TClr> fromWire) : IDictionary
    where TKey : notnull
{
    private Dictionary<TKey, TClr>? _items;

    /// <inheritdoc />
    public int Count => Current?.Count ?? 0;

    /// <inheritdoc />
    public bool IsFixedSize => false;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <inheritdoc />
    public bool IsSynchronized => false;

    /// <inheritdoc />
    public object SyncRoot => this;

    /// <inheritdoc />
    public ICollection Keys => Snapshot().Keys;

    /// <inheritdoc />
    public ICollection Values => Snapshot().Values;

    private IReadOnlyDictionary<TKey, TClr>? Current => _items ?? get(owner);

    /// <inheritdoc />
    public object? this[object key]
    {
        get => key is TKey k && Current is { } items && items.TryGetValue(k, out TClr? value) ? toWire(value) : null;
        set
        {
            TKey k = Key(key);
            TClr v = fromWire(value is TWire wire ? wire : throw new ArgumentException($"Expected a {typeof(TWire).Name}, got {value?.GetType().Name ?? "null"}.", nameof(value)));
            Change(items => items[k] = v);
        }
    }

    /// <inheritdoc />
    public void Add(object key, object? value)
    {
        if (Contains(key))
        {
            throw new ArgumentException($"The map already has the key '{key}'.", nameof(key));
        }

        this[key] = value;
    }

    /// <inheritdoc />
    public void Clear() => Change(static items => items.Clear());

    /// <inheritdoc />
    public bool Contains(object key) => key is TKey k && Current is { } items && items.ContainsKey(k);

    /// <inheritdoc />
    public void Remove(object key)
    {
        TKey k = Key(key);
        Change(items => items.Remove(k));
    }

    /// <inheritdoc />
    public void CopyTo(Array array, int index) => ((ICollection)Snapshot()).CopyTo(array, index);

    /// <inheritdoc />
    public IDictionaryEnumerator GetEnumerator() => ((IDictionary)Snapshot()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The entries in their Protobuf form, for debugging and record printing.</summary>
    /// <returns>The entries as <c>{ k: v }</c>.</returns>
    public override string ToString()
    {
        var parts = new List<string>();
        foreach (KeyValuePair<TKey, TWire> pair in Snapshot())
        {
            parts.Add(pair.Key + ": " + pair.Value);
        }

        return "{ " + string.Join(", ", parts) + " }";
    }

    private static TKey Key(object key) =>
        key is TKey k ? k : throw new ArgumentException($"Expected a {typeof(TKey).Name} key, got {key?.GetType().Name ?? "null"}.", nameof(key));

    private Dictionary<TKey, TWire> Snapshot()
    {
        IReadOnlyDictionary<TKey, TClr>? items = Current;
        var wire = new Dictionary<TKey, TWire>(items?.Count ?? 0);
        if (items is not null)
        {
            foreach (KeyValuePair<TKey, TClr> pair in items)
            {
                wire[pair.Key] = toWire(pair.Value);
            }
        }

        return wire;
    }

    private void Change(Action<Dictionary<TKey, TClr>> change)
    {
        // The first change copies what the record holds (it may be shared or read-only); later ones edit that copy.
        IReadOnlyDictionary<TKey, TClr>? current = get(owner);
        if (_items is null)
        {
            _items = new Dictionary<TKey, TClr>(current?.Count ?? 0);
            if (current is not null)
            {
                foreach (KeyValuePair<TKey, TClr> pair in current)
                {
                    _items[pair.Key] = pair.Value;
                }
            }
        }

        change(_items);
        set(owner, _items);
    }
}
