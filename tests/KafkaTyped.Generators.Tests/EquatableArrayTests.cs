using KafkaTyped.Generators.Emit;
using KafkaTyped.Roslyn.Testing;
using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Tests;

public sealed class EquatableArrayTests
{
    [Fact]
    public void Equal_content_means_equal_arrays_and_hash_codes()
    {
        var a = new EquatableArray<string>(new[] { "a", "b" });
        var b = new EquatableArray<string>(new List<string> { "a", "b" });
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new EquatableArray<string>(new[] { "b", "a" }));
        Assert.Equal(EquatableArray<string>.Empty, default);
        Assert.Equal(EquatableArray<string>.Empty.GetHashCode(), default(EquatableArray<string>).GetHashCode());
    }

    [Fact]
    public void Models_from_two_compilations_are_equal_but_a_plain_array_would_not_be()
    {
        // The harness proof: the same model built twice is equal, which is what Cached/Unchanged rely on; a record holding a
        // plain string[] (as a careless model would) compares by reference and would make every step look Modified.
        MessageModel Model() => (MessageModel)GeneratorRun.Start(TestCompilation.Create(Sources.OrderSet))
            .Result.TrackedSteps[TrackingNames.ValidMessages].SelectMany(s => s.Outputs).First().Value;
        MessageModel first = Model();
        MessageModel second = Model();
        Assert.Equal(first, second);
        Assert.NotSame(first, second);
        Assert.NotEqual(new LeakyModel(first.Fields.Select(f => f.ProtoName).ToArray()), new LeakyModel(second.Fields.Select(f => f.ProtoName).ToArray()));
        Assert.Equal(new SetFileModel(null!, new EquatableArray<MessageModel>(new[] { first })), new SetFileModel(null!, new EquatableArray<MessageModel>(new[] { second })));
    }

    private sealed record LeakyModel(string[] Names);
}
