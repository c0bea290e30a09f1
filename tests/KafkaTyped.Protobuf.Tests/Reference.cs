using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Protobuf.Tests.Samples;
using R = Compat.Samples;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Protobuf.Tests;

/// <summary>Builds the protoc-generated reference message that holds the same values as a generated record.</summary>
internal static class Reference
{
    public static R.Money ToRef(Money m) => new() { Currency = m.Currency, Units = m.Units, Nanos = m.Nanos };

    public static R.AllScalars ToRef(AllScalars o) => new()
    {
        Text = o.Text,
        Flag = o.Flag,
        Int32 = o.Int32,
        Int64 = o.Int64,
        UInt32 = o.UInt32,
        UInt64 = o.UInt64,
        Single = o.Single,
        Double = o.Double,
        SInt32 = o.SInt32,
        SInt64 = o.SInt64,
        SFixed32 = o.SFixed32,
        SFixed64 = o.SFixed64,
        Fixed32 = o.Fixed32,
        Fixed64 = o.Fixed64,
        Blob = ByteString.CopyFrom(o.Blob),
        Memory = ByteString.CopyFrom(o.Memory.Span),
        Color = (R.AllScalars.Types.Color)(int)o.Color,
        BigNumber = o.BigNumber,
    };

    public static R.WellKnown ToRef(WellKnown o)
    {
        var r = new R.WellKnown
        {
            At = Timestamp.FromDateTimeOffset(o.At),
            When = Timestamp.FromDateTime(DateTime.SpecifyKind(o.When, DateTimeKind.Utc)),
            Elapsed = Duration.FromTimeSpan(o.Elapsed),
            Amount = ProtoCodec.IsDefault(o.Amount) ? "" : ProtoCodec.FormatDecimal(o.Amount),
            Price = ToRef(o.Price),
        };
        if (o.Id != Guid.Empty)
        {
            r.Id = ByteString.CopyFrom(o.Id.ToByteArray(bigEndian: true));
        }

        if (o.MaybeAt is { } at)
        {
            r.MaybeAt = Timestamp.FromDateTimeOffset(at);
        }

        if (o.MaybeElapsed is { } e)
        {
            r.MaybeElapsed = Duration.FromTimeSpan(e);
        }

        return r;
    }

    public static R.Optionals ToRef(Optionals o)
    {
        var r = new R.Optionals();
        if (o.MaybeInt is { } i) r.MaybeInt = i;
        if (o.MaybeText is { } t) r.MaybeText = t;
        if (o.MaybeBlob is { } b) r.MaybeBlob = ByteString.CopyFrom(b);
        if (o.MaybeColor is { } c) r.MaybeColor = (R.Optionals.Types.Color)(int)c;
        if (o.MaybeFlag is { } f) r.MaybeFlag = f;
        if (o.MaybeMoney is { } m) r.MaybeMoney = ToRef(m);
        if (o.MaybeId is { } id) r.MaybeId = ByteString.CopyFrom(id.ToByteArray(bigEndian: true));
        if (o.MaybeAmount is { } a) r.MaybeAmount = ProtoCodec.FormatDecimal(a);
        if (o.MaybeDouble is { } d) r.MaybeDouble = d;
        return r;
    }

    public static R.Collections ToRef(Collections o)
    {
        var r = new R.Collections();
        r.Ints.AddRange(o.Ints);
        r.Longs.AddRange(o.Longs);
        r.Names.AddRange(o.Names);
        r.Counters.AddRange(o.Counters);
        r.Prices.AddRange(o.Prices.Select(ToRef));
        foreach (var kv in o.Totals) r.Totals.Add(kv.Key, kv.Value);
        foreach (var kv in o.ByIndex) r.ByIndex.Add(kv.Key, ToRef(kv.Value));
        r.Times.AddRange(o.Times.Select(Timestamp.FromDateTimeOffset));
        r.Blobs.AddRange(o.Blobs.Select(b => ByteString.CopyFrom(b)));
        r.Colors.AddRange(o.Colors.Select(c => (R.Collections.Types.Color)(int)c));
        r.Deltas.AddRange(o.Deltas);
        r.Doubles.AddRange(o.Doubles);
        foreach (var kv in o.Labels) r.Labels.Add(kv.Key, kv.Value);
        foreach (var kv in o.ColorById) r.ColorById.Add(kv.Key, (R.Collections.Types.Color)(int)kv.Value);
        r.Flags.AddRange(o.Flags);
        return r;
    }

    public static R.OrderPlaced ToRef(OrderPlaced o)
    {
        var r = new R.OrderPlaced
        {
            OrderId = o.OrderId,
            AmountCents = o.AmountCents,
            PlacedAt = Timestamp.FromDateTimeOffset(o.PlacedAt),
            Total = ToRef(o.Total),
        };
        r.Tags.AddRange(o.Tags);
        return r;
    }

    public static R.OrderCancelled ToRef(OrderCancelled o) => new()
    {
        OrderId = o.OrderId,
        Reason = o.Reason,
        Color = (R.OrderCancelled.Types.Color)(int)o.Color,
    };
}
