using System.Collections.Immutable;
using KafkaTyped.Protobuf.Tests.Samples;

namespace KafkaTyped.Protobuf.Tests;

/// <summary>Random sample values from a fixed seed, biased toward edge cases (zero, extremes, NaN, non-ASCII text).</summary>
internal sealed class Gen(int seed)
{
    private static readonly string[] Pieces = ["", "a", "Z", "é", "日本", "😀", " ", "\0", "\"", "\\", "line\nbreak", "0"];
    private readonly Random _random = new(seed);

    public bool Chance(int percent) => _random.Next(100) < percent;

    public int Int() => Chance(20) ? Pick(0, 1, -1, int.MinValue, int.MaxValue) : _random.Next(int.MinValue, int.MaxValue) >> _random.Next(32);

    public long Long() => Chance(20) ? Pick(0L, 1L, -1L, long.MinValue, long.MaxValue) : _random.NextInt64(long.MinValue, long.MaxValue) >> _random.Next(64);

    public uint UInt() => unchecked((uint)Int());

    public ulong ULong() => unchecked((ulong)Long());

    public double Double() => Chance(25) ? Pick(0d, -0d, 1d, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MinValue, double.Epsilon) : (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-30, 30));

    public float Float() => Chance(25) ? Pick(0f, -0f, float.NaN, float.MaxValue, float.Epsilon) : (float)Double();

    public bool Bool() => Chance(50);

    public string String()
    {
        int n = _random.Next(0, 6);
        var parts = new string[n];
        for (int i = 0; i < n; i++)
        {
            parts[i] = Pieces[_random.Next(Pieces.Length)];
        }

        return string.Concat(parts);
    }

    public byte[] Bytes()
    {
        var b = new byte[Chance(20) ? 0 : _random.Next(0, 40)];
        _random.NextBytes(b);
        return b;
    }

    public Color Color() => Pick(Samples.Color.Unspecified, Samples.Color.Red, Samples.Color.Green, Samples.Color.Blue, (Color)77);

    public DateTimeOffset Time() => Chance(15)
        ? Pick(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch, default)
        : new DateTimeOffset(_random.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero).ToOffset(TimeSpan.FromHours(_random.Next(-12, 13)));

    public TimeSpan Span() => Chance(15) ? Pick(TimeSpan.Zero, TimeSpan.FromTicks(-1), TimeSpan.FromDays(-3650000), TimeSpan.FromDays(3650000)) : TimeSpan.FromTicks(_random.NextInt64(-3_000_000_000_000_000_000, 3_000_000_000_000_000_000));

    public Guid Guid() => Chance(15) ? System.Guid.Empty : System.Guid.NewGuid();

    public decimal Decimal() => Chance(15)
        ? Pick(0m, decimal.MaxValue, decimal.MinValue, 0.00m, -1.5m, 1e-28m)
        : new decimal(Int(), Int(), Int(), Bool(), (byte)_random.Next(0, 29));

    public Money Money() => new(String(), Long(), Int());

    public List<T> List<T>(Func<T> item)
    {
        var list = new List<T>();
        int n = Chance(30) ? 0 : _random.Next(1, 6);
        for (int i = 0; i < n; i++)
        {
            list.Add(item());
        }

        return list;
    }

    public Dictionary<TKey, TValue> Map<TKey, TValue>(Func<TKey> key, Func<TValue> value)
        where TKey : notnull
    {
        var map = new Dictionary<TKey, TValue>();
        int n = Chance(30) ? 0 : _random.Next(1, 5);
        for (int i = 0; i < n; i++)
        {
            map[key()] = value();
        }

        return map;
    }

    public AllScalars AllScalars() => new(String(), Bool(), Int(), Long(), UInt(), ULong(), Float(), Double(), Int(), Long(), Int(), Long(), UInt(), ULong(), Bytes(), Bytes(), Color(), Int());

    public WellKnown WellKnown() => new()
    {
        At = Time(),
        When = Time().UtcDateTime,
        Elapsed = Span(),
        Id = Guid(),
        Amount = Decimal(),
        MaybeAt = Chance(50) ? Time() : null,
        MaybeElapsed = Chance(50) ? Span() : null,
        Price = Money(),
    };

    public Optionals Optionals() => new()
    {
        MaybeInt = Chance(50) ? Int() : null,
        MaybeText = Chance(50) ? String() : null,
        MaybeBlob = Chance(50) ? Bytes() : null,
        MaybeColor = Chance(50) ? Color() : null,
        MaybeFlag = Chance(50) ? Bool() : null,
        MaybeMoney = Chance(50) ? Money() : null,
        MaybeId = Chance(50) ? Guid() : null,
        MaybeAmount = Chance(50) ? Decimal() : null,
        MaybeDouble = Chance(50) ? Double() : null,
    };

    public Collections Collections() => new()
    {
        Ints = List(Int),
        Longs = List(Long).ToArray(),
        Names = List(String),
        Counters = List(UInt).ToImmutableArray(),
        Prices = List(Money),
        Totals = Map(String, Long),
        ByIndex = Map(Int, Money),
        Times = List(Time),
        Blobs = List(Bytes),
        Colors = List(Color),
        Deltas = List(Long),
        Doubles = List(Double),
        Labels = Map(String, String),
        ColorById = Map(Long, Color),
        Flags = List(Bool),
    };

    public OrderPlaced OrderPlaced() => new(String(), Long(), Time(), Money(), List(String));

    public OrderCancelled OrderCancelled() => new() { OrderId = String(), Reason = String(), Color = Color() };

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];
}
