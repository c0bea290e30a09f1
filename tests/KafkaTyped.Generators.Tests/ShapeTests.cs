using KafkaTyped.Roslyn.Testing;

namespace KafkaTyped.Generators.Tests;

/// <summary>Declaration shapes beyond the main sample: each must generate and compile without diagnostics.</summary>
public sealed class ShapeTests
{
    [Theory]
    [InlineData("unsealed record", "namespace A; [KafkaMessage] public partial record Open([Field(1)] string Name);")]
    [InlineData("user parameterless ctor", "namespace A; [KafkaMessage] public sealed partial record WithCtor { public WithCtor() { Name = \"n\"; } [Field(1)] public string Name { get; init; } }")]
    [InlineData("property target on a parameter", "namespace A; [KafkaMessage] public sealed partial record Target([property: Field(1)] string Name, [Field(2)] int Count);")]
    [InlineData("get-only auto-property", "namespace A; [KafkaMessage] public sealed partial record GetOnly { [Field(1)] public string Name { get; } = \"x\"; }")]
    [InlineData("private setter", "namespace A; [KafkaMessage] public sealed partial record Private { [Field(1)] public long Count { get; private set; } }")]
    [InlineData("global namespace", "[KafkaMessage] public sealed partial record Global([Field(1)] string Name);")]
    [InlineData("internal set and message", "namespace A; [Topic(\"t\")] internal partial interface IInternal; [KafkaMessage] internal sealed partial record Hidden([Field(1)] string Name) : IInternal;")]
    [InlineData("user equality", "namespace A; [KafkaMessage] public sealed partial record OwnEq([Field(1)] string Name) { public bool Equals(OwnEq? other) => other is not null && other.Name == Name; public override int GetHashCode() => Name.GetHashCode(); }")]
    [InlineData("cross-package reference", "namespace A.Money { [KafkaMessage] public sealed partial record Cash([Field(1)] long Units); } namespace A.Orders { [KafkaMessage] public sealed partial record Bill([Field(1)] A.Money.Cash Cash, [Field(2)] System.Collections.Generic.List<A.Money.Cash> More); }")]
    [InlineData("recursive through nullable", "namespace A; [KafkaMessage] public sealed partial record Node([Field(1)] string Name, [Field(2)] Node? Next, [Field(3)] System.Collections.Generic.List<Node> Children);")]
    [InlineData("every optional", "namespace A; public enum E { Zero, One } [KafkaMessage] public sealed partial record Opt([Field(1)] int? A, [Field(2)] long? B, [Field(3)] E? C, [Field(4)] string? D, [Field(5)] byte[]? F, [Field(6)] System.Guid? G, [Field(7)] decimal? H, [Field(8)] System.DateTime? I, [Field(9)] System.TimeSpan? J, [Field(10)] System.ReadOnlyMemory<byte>? K);")]
    [InlineData("every repeated", "namespace A; public enum E { Zero, One } [KafkaMessage] public sealed partial record Rep([Field(1)] System.Collections.Generic.List<System.Guid> A, [Field(2)] System.Collections.Immutable.ImmutableArray<decimal> B, [Field(3)] System.Collections.Generic.IReadOnlyList<System.TimeSpan> C, [Field(4)] E[] D, [Field(5, Encoding = IntegerEncoding.Fixed)] ulong[] F, [Field(6)] System.Collections.Generic.IReadOnlyDictionary<bool, System.DateTime> G, [Field(7)] System.Collections.Generic.Dictionary<uint, byte[]> H, [Field(8)] System.Collections.Generic.List<System.ReadOnlyMemory<byte>> I);")]
    public void Generates_and_compiles(string why, string declaration)
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create("using KafkaTyped;\n" + declaration));
        Assert.Null(run.Result.Exception);
        Assert.True(run.Result.GeneratedSources.Length > 0, why);
        GeneratorTests.AssertCompiles(run);
    }
}
