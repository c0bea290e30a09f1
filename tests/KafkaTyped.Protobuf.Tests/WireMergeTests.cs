using Google.Protobuf;
using KafkaTyped.Protobuf.Tests.Samples;
using R = Compat.Samples;

namespace KafkaTyped.Protobuf.Tests;

/// <summary>
/// Protobuf merge rules on the wire, against protoc's classes: a singular sub-message that occurs twice is merged field by
/// field, repeated fields concatenate, map entries with the same key take the last value. Concatenating two serialized
/// messages is the same as merging them, so random pairs of messages cover all three.
/// </summary>
public sealed class WireMergeTests
{
    private const int Cases = 200;

    [Fact]
    public void A_sub_message_split_across_two_occurrences_is_merged_like_protoc()
    {
        // Field 6 (maybe_money) twice: the first carries currency and units, the second only nanos.
        byte[] first = new R.Optionals { MaybeMoney = new R.Money { Currency = "EUR", Units = 12 } }.ToByteArray();
        byte[] second = new R.Optionals { MaybeMoney = new R.Money { Nanos = 5 } }.ToByteArray();
        byte[] wire = [.. first, .. second];

        R.Optionals reference = R.Optionals.Parser.ParseFrom(wire);
        Assert.Equal(new R.Money { Currency = "EUR", Units = 12, Nanos = 5 }, reference.MaybeMoney);

        Optionals ours = Optionals.Parser.ParseFrom(wire);
        Assert.Equal(new Money("EUR", 12, 5), ours.MaybeMoney);
        Assert.Equal(reference.ToByteArray(), ours.ToByteArray());

        // The same through an init-only property that starts with a value (WellKnown.Price = new()).
        byte[] wk = [.. new R.WellKnown { Price = new R.Money { Currency = "USD" } }.ToByteArray(), .. new R.WellKnown { Price = new R.Money { Units = 3 } }.ToByteArray()];
        Assert.Equal(new Money("USD", 3, 0), WellKnown.Parser.ParseFrom(wk).Price);
        Assert.Equal(R.WellKnown.Parser.ParseFrom(wk).Price, Reference.ToRef(WellKnown.Parser.ParseFrom(wk).Price));
    }

    [Fact]
    public void Merging_from_the_wire_never_mutates_a_sub_message_the_record_shares()
    {
        var shared = new Money("EUR", 1, 0);
        var target = new Optionals { MaybeMoney = shared };
        var other = new Optionals { MaybeMoney = shared };

        target.MergeFrom(new R.Optionals { MaybeMoney = new R.Money { Nanos = 9 } }.ToByteArray());

        Assert.Equal(new Money("EUR", 1, 9), target.MaybeMoney);
        Assert.Equal(new Money("EUR", 1, 0), shared);
        Assert.Same(shared, other.MaybeMoney);
    }

    [Fact]
    public void Merge_from_a_message_merges_sub_messages_like_protoc()
    {
        var a = new Optionals { MaybeMoney = new Money("EUR", 12, 0), MaybeInt = 1 };
        var b = new Optionals { MaybeMoney = new Money("", 0, 5), MaybeText = "t" };
        var before = a.MaybeMoney;
        a.MergeFrom(b);

        R.Optionals reference = Reference.ToRef(new Optionals { MaybeMoney = new Money("EUR", 12, 0), MaybeInt = 1 });
        reference.MergeFrom(Reference.ToRef(b));
        Assert.Equal(reference.ToByteArray(), a.ToByteArray());
        Assert.Equal(new Money("EUR", 12, 5), a.MaybeMoney);
        Assert.Equal(new Money("EUR", 12, 0), before);
    }

    [Fact]
    public void Concatenated_messages_parse_like_protoc_Optionals() =>
        Check(new Gen(2001), g => g.Optionals(), Reference.ToRef, Optionals.Parser, R.Optionals.Parser);

    [Fact]
    public void Concatenated_messages_parse_like_protoc_Collections() =>
        Check(new Gen(2002), g => g.Collections(), Reference.ToRef, Collections.Parser, R.Collections.Parser);

    [Fact]
    public void Concatenated_messages_parse_like_protoc_AllScalars() =>
        Check(new Gen(2003), g => g.AllScalars(), Reference.ToRef, AllScalars.Parser, R.AllScalars.Parser);

    [Fact]
    public void Concatenated_messages_parse_like_protoc_WellKnown() =>
        Check(new Gen(2004), g => SameSignDurations(g.WellKnown()), Reference.ToRef, WellKnown.Parser, R.WellKnown.Parser);

    [Fact]
    public void Concatenated_messages_parse_like_protoc_OrderPlaced() =>
        Check(new Gen(2005), g => g.OrderPlaced(), Reference.ToRef, OrderPlaced.Parser, R.OrderPlaced.Parser);

    [Fact]
    public void Merge_from_a_message_matches_protoc_for_random_pairs()
    {
        var gen = new Gen(2006);
        for (int i = 0; i < Cases; i++)
        {
            CheckMerge(SameSignDurations(gen.WellKnown()), SameSignDurations(gen.WellKnown()), Reference.ToRef, i);
            CheckMerge(gen.Optionals(), gen.Optionals(), Reference.ToRef, i);
            CheckMerge(gen.AllScalars(), gen.AllScalars(), Reference.ToRef, i);
            CheckMerge(gen.OrderPlaced(), gen.OrderPlaced(), Reference.ToRef, i);
        }
    }

    [Fact]
    public void A_timestamp_split_across_two_occurrences_is_merged_like_protoc()
    {
        // Field 1 (at) twice: seconds from the first, nanos from the second.
        byte[] wire = [.. new R.WellKnown { At = new() { Seconds = 60 } }.ToByteArray(), .. new R.WellKnown { At = new() { Nanos = 500_000_000 } }.ToByteArray()];
        Assert.Equal(60.5, (R.WellKnown.Parser.ParseFrom(wire).At.ToDateTimeOffset() - DateTimeOffset.UnixEpoch).TotalSeconds);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(60.5), WellKnown.Parser.ParseFrom(wire).At);
    }

    /// <summary>
    /// Merging durations of opposite signs takes seconds from one and nanos from the other: an invalid Duration (the spec
    /// wants one sign), which protoc's class keeps as is and a TimeSpan cannot hold. Random pairs keep one sign.
    /// </summary>
    private static WellKnown SameSignDurations(WellKnown w) => w with { Elapsed = w.Elapsed.Duration(), MaybeElapsed = w.MaybeElapsed?.Duration() };

    private static void CheckMerge<TOurs, TRef>(TOurs a, TOurs b, Func<TOurs, TRef> toRef, int i)
        where TOurs : IMessage<TOurs>
        where TRef : IMessage<TRef>
    {
        TRef reference = toRef(a);
        reference.MergeFrom(toRef(b));
        a.MergeFrom(b);
        byte[] expected = reference.ToByteArray();
        Assert.True(expected.AsSpan().SequenceEqual(a.ToByteArray()), $"case {i}: {typeof(TOurs).Name} merge differs\n ours {Convert.ToHexString(a.ToByteArray())}\n ref  {Convert.ToHexString(expected)}");
    }

    private static void Check<TOurs, TRef>(Gen gen, Func<Gen, TOurs> make, Func<TOurs, TRef> toRef, MessageParser<TOurs> ourParser, MessageParser<TRef> refParser)
        where TOurs : IMessage<TOurs>
        where TRef : IMessage<TRef>
    {
        for (int i = 0; i < Cases; i++)
        {
            byte[] wire = [.. toRef(make(gen)).ToByteArray(), .. toRef(make(gen)).ToByteArray()];
            byte[] expected = refParser.ParseFrom(wire).ToByteArray();
            TOurs ours = ourParser.ParseFrom(wire);
            Assert.True(expected.AsSpan().SequenceEqual(ours.ToByteArray()), $"case {i}: merged bytes differ\n wire {Convert.ToHexString(wire)}\n ours {Convert.ToHexString(ours.ToByteArray())}\n ref  {Convert.ToHexString(expected)}");
            Assert.Equal(ourParser.ParseFrom(expected), ours);
        }
    }
}
