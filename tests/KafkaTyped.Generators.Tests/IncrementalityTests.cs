using KafkaTyped.Roslyn.Testing;
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
    public void Editing_one_message_re_emits_only_its_own_set()
    {
        const string TwoSets = """
            using KafkaTyped;
            namespace Shop;
            [Topic("orders")] public partial interface IOrderEvents;
            [Topic("payments")] public partial interface IPaymentEvents;
            [KafkaMessage] public sealed partial record OrderPlaced([Field(1), Key] string Id, [Field(2)] long Amount) : IOrderEvents;
            [KafkaMessage] public sealed partial record PaymentTaken([Field(1), Key] string Id, [Field(2)] long Amount) : IPaymentEvents;
            """;
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(TwoSets));
        GeneratorRun second = first.Rerun(Replace(first.Input, 0, TwoSets.Replace("[Field(2)] long Amount) : IOrderEvents", "[Field(3)] long Amount) : IOrderEvents", StringComparison.Ordinal)));

        // The set file step: the edited message's set is recomputed into a new value, the other set's is equal.
        var sets = Steps.Reasons(second.Result, TrackingNames.SetFile).ToList();
        Assert.Equal(2, sets.Count);
        Assert.Equal(1, sets.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, sets.Count(r => r == IncrementalStepRunReason.Unchanged));

        // Outputs: only the edited message's file and its set's file are written again.
        var rewritten = second.Result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs)
            .Count(o => o.Reason != IncrementalStepRunReason.Cached);
        Assert.Equal(2, rewritten);
        var before = first.Result.GeneratedSources.ToDictionary(g => g.HintName, g => g.SourceText.ToString());
        var changed = second.Result.GeneratedSources.Where(g => before[g.HintName] != g.SourceText.ToString()).Select(g => g.HintName).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(["Shop.OrderEventsSet.g.cs", "Shop.OrderPlaced.g.cs"], changed);
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

    [Fact]
    public void Msbuild_properties_leave_everything_cached()
    {
        // The package is not an MSBuild property (it must reach referencing assemblies, so it lives in the assembly's
        // attributes): changing build properties recomputes nothing and changes no output.
        var before = new Dictionary<string, string> { ["build_property.KafkaTypedProtoPackage"] = "a.b", ["build_property.RootNamespace"] = "Shop" };
        var after = new Dictionary<string, string> { ["build_property.KafkaTypedProtoPackage"] = "c.d", ["build_property.RootNamespace"] = "Other" };
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(Sources.OrderSet), before);
        GeneratorRun second = first.Rerun(after);
        Steps.AssertAllCached(second.Result);
        Assert.Equal(first.Result.GeneratedSources.Select(g => g.SourceText.ToString()), second.Result.GeneratedSources.Select(g => g.SourceText.ToString()));
    }

    [Fact]
    public void Package_from_the_project_file_changes_the_messages_and_leaves_the_producer_unchanged()
    {
        // <AssemblyAttribute Include="KafkaTyped.ProtoPackageAttribute"> compiles into a file like this one (AssemblyInfo.cs).
        const string AssemblyInfo = "[assembly: KafkaTyped.ProtoPackageAttribute(\"shop.orders\")]\n";
        string orderSet = Sources.OrderSet.Replace("[assembly: ProtoPackage(\"shop.orders\")]", string.Empty, StringComparison.Ordinal);
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(orderSet, AssemblyInfo));
        Assert.Contains(first.Result.GeneratedSources, g => g.SourceText.ToString().Contains("package shop.orders;", StringComparison.Ordinal));

        GeneratorRun second = first.Rerun(Replace(first.Input, 1, AssemblyInfo.Replace("shop.orders", "shop.sales", StringComparison.Ordinal)));
        Assert.Contains(second.Result.GeneratedSources, g => g.SourceText.ToString().Contains("package shop.sales;", StringComparison.Ordinal));
        var messages = Steps.Reasons(second.Result, TrackingNames.MessageModel).ToList();
        Assert.NotEmpty(messages);
        Assert.All(messages, r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        var producers = Steps.Reasons(second.Result, TrackingNames.Producer).ToList();
        Assert.NotEmpty(producers);
        Assert.All(producers, r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
    }
}
