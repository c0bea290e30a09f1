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
/// <remarks>Reflection path only (JSON, descriptors): the binary codec never goes through it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ReflectionList<TOwner, TClr, TWire> : IList
{
    private readonly TOwner _owner;
    private readonly Func<TOwner, IReadOnlyList<TClr>?> _get;
    private readonly Action<TOwner, List<TClr>> _set;
    private readonly Func<TClr, TWire> _toWire;
    private readonly Func<TWire, TClr> _fromWire;
    private List<TClr>? _items;

    /// <summary>Creates a view of one field of <paramref name="owner"/>.</summary>
    /// <param name="owner">The record that holds the field.</param>
    /// <param name="get">Reads the field's current elements (null when unset).</param>
    /// <param name="set">Stores changed elements back into the field, converted to its collection type.</param>
    /// <param name="toWire">Converts an element to its Protobuf form.</param>
    /// <param name="fromWire">Converts an element from its Protobuf form.</param>
    public ReflectionList(TOwner owner, Func<TOwner, IReadOnlyList<TClr>?> get, Action<TOwner, List<TClr>> set, Func<TClr, TWire> toWire, Func<TWire, TClr> fromWire)
    {
        _owner = owner;
        _get = get ?? throw new ArgumentNullException(nameof(get));
        _set = set ?? throw new ArgumentNullException(nameof(set));
        _toWire = toWire ?? throw new ArgumentNullException(nameof(toWire));
        _fromWire = fromWire ?? throw new ArgumentNullException(nameof(fromWire));
    }

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

    private IReadOnlyList<TClr>? Current => _items ?? _get(_owner);

    /// <inheritdoc />
    public object? this[int index]
    {
        get => Current is { } items ? _toWire(items[index]) : throw new ArgumentOutOfRangeException(nameof(index));
        set => Change(items => items[index] = _fromWire(Wire(value)));
    }

    /// <inheritdoc />
    public int Add(object? value)
    {
        TClr item = _fromWire(Wire(value));
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
            if (EqualityComparer<TWire>.Default.Equals(_toWire(items[i]), wire))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public void Insert(int index, object? value)
    {
        TClr item = _fromWire(Wire(value));
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
            array.SetValue(_toWire(items[i]), index + i);
        }
    }

    /// <inheritdoc />
    public IEnumerator GetEnumerator()
    {
        IReadOnlyList<TClr>? items = Current;
        var wire = new List<TWire>(items?.Count ?? 0);
        for (int i = 0; items is not null && i < items.Count; i++)
        {
            wire.Add(_toWire(items[i]));
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
        _items ??= new List<TClr>(_get(_owner) ?? []);
        change(_items);
        _set(_owner, _items);
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
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ReflectionMap<TOwner, TKey, TClr, TWire> : IDictionary
    where TKey : notnull
{
    private readonly TOwner _owner;
    private readonly Func<TOwner, IReadOnlyDictionary<TKey, TClr>?> _get;
    private readonly Action<TOwner, Dictionary<TKey, TClr>> _set;
    private readonly Func<TClr, TWire> _toWire;
    private readonly Func<TWire, TClr> _fromWire;
    private Dictionary<TKey, TClr>? _items;

    /// <summary>Creates a view of one map field of <paramref name="owner"/>.</summary>
    /// <param name="owner">The record that holds the field.</param>
    /// <param name="get">Reads the field's current entries (null when unset).</param>
    /// <param name="set">Stores changed entries back into the field.</param>
    /// <param name="toWire">Converts a value to its Protobuf form.</param>
    /// <param name="fromWire">Converts a value from its Protobuf form.</param>
    public ReflectionMap(TOwner owner, Func<TOwner, IReadOnlyDictionary<TKey, TClr>?> get, Action<TOwner, Dictionary<TKey, TClr>> set, Func<TClr, TWire> toWire, Func<TWire, TClr> fromWire)
    {
        _owner = owner;
        _get = get ?? throw new ArgumentNullException(nameof(get));
        _set = set ?? throw new ArgumentNullException(nameof(set));
        _toWire = toWire ?? throw new ArgumentNullException(nameof(toWire));
        _fromWire = fromWire ?? throw new ArgumentNullException(nameof(fromWire));
    }

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

    private IReadOnlyDictionary<TKey, TClr>? Current => _items ?? _get(_owner);

    /// <inheritdoc />
    public object? this[object key]
    {
        get => key is TKey k && Current is { } items && items.TryGetValue(k, out TClr? value) ? _toWire(value) : null;
        set
        {
            TKey k = Key(key);
            TClr v = _fromWire(value is TWire wire ? wire : throw new ArgumentException($"Expected a {typeof(TWire).Name}, got {value?.GetType().Name ?? "null"}.", nameof(value)));
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
                wire[pair.Key] = _toWire(pair.Value);
            }
        }

        return wire;
    }

    private void Change(Action<Dictionary<TKey, TClr>> change)
    {
        // The first change copies what the record holds (it may be shared or read-only); later ones edit that copy.
        IReadOnlyDictionary<TKey, TClr>? current = _get(_owner);
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
        _set(_owner, _items);
    }
}
