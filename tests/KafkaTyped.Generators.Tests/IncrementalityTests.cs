using KafkaTyped.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.Generators.Tests;

public sealed class IncrementalityTests
{
    private static Compilation Replace(Compilation c, int index, string text) =>
        c.ReplaceSyntaxTree(c.SyntaxTrees.ElementAt(index), CSharpSyntaxTree.ParseText(text, TestCompilation.ParseOptions, path: c.SyntaxTrees.ElementAt(index).FilePath));

    [Fact]
    public void Unrelated_file_edit_leaves_everything_cached()
    {
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(Sources.OrderSet, Sources.Unrelated));
        GeneratorRun second = first.Rerun(Replace(first.Input, 1, Sources.Unrelated.Replace("Value", "Other", StringComparison.Ordinal)));
        Steps.AssertAllCached(second.Result);
    }

    [Fact]
    public void Unrelated_member_edit_in_the_message_file_leaves_models_unchanged()
    {
        string edited = Sources.OrderSet + "\npublic static class Extra { public static int X => 1; }\n";
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(Sources.OrderSet));
        GeneratorRun second = first.Rerun(Replace(first.Input, 0, edited));
        Assert.All(Steps.Reasons(second.Result, TrackingNames.MessageModel), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Steps.AssertAllCached(second.Result);
    }

    [Fact]
    public void Attribute_argument_edit_modifies_only_that_message()
    {
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(Sources.OrderSet));
        GeneratorRun second = first.Rerun(Replace(first.Input, 0, Sources.OrderSet.Replace("[Field(2)] long Units", "[Field(3)] long Units", StringComparison.Ordinal)));
        var reasons = Steps.Reasons(second.Result, TrackingNames.MessageModel).ToList();
        Assert.True(reasons.Count == 3, string.Join(",", reasons));
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(2, reasons.Count(r => r == IncrementalStepRunReason.Unchanged));
        Assert.All(Steps.Reasons(second.Result, TrackingNames.SetFile), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
    }

    [Fact]
    public void Second_message_is_new_and_the_first_stays_unchanged()
    {
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(Sources.OrderSet, Sources.Unrelated));
        GeneratorRun second = first.Rerun(Replace(first.Input, 1, "using KafkaTyped;\nnamespace Shop.Orders;\n[KafkaMessage] public sealed partial record Note([Field(1)] string Text);"));
        var reasons = Steps.Reasons(second.Result, TrackingNames.MessageModel).ToList();
        Assert.Contains(IncrementalStepRunReason.New, reasons);
        Assert.Equal(3, reasons.Count(r => r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached));
        Assert.All(Steps.Reasons(second.Result, TrackingNames.SetFile), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
    }

    [Fact]
    public void Equivalent_sources_give_equal_models()
    {
        GeneratorRun a = GeneratorRun.Start(TestCompilation.Create(Sources.OrderSet));
        GeneratorRun b = GeneratorRun.Start(TestCompilation.Create(Sources.OrderSet.Replace("    ", "\t", StringComparison.Ordinal)));
        object[] ma = a.Result.TrackedSteps[TrackingNames.ValidMessages].SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
        object[] mb = b.Result.TrackedSteps[TrackingNames.ValidMessages].SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
        Assert.Equal(ma, mb);
        Assert.Equal(ma.Select(m => m.GetHashCode()), mb.Select(m => m.GetHashCode()));
    }
}
