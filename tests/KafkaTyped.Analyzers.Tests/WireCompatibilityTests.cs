using KafkaTyped.Analyzers.SchemaEvolution;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>KT0301's field verdicts come from the registry's rules (src/Shared/Schema ProtoCompatibility, strict).</summary>
public sealed class WireCompatibilityTests
{
    [Theory]
    [InlineData("int32", false, (int)FieldLabel.Singular, "int64", false, (int)FieldLabel.Singular)]
    [InlineData("string", false, (int)FieldLabel.Singular, "bytes", false, (int)FieldLabel.Singular)]
    [InlineData("Status", true, (int)FieldLabel.Singular, "Status", true, (int)FieldLabel.Singular)]
    [InlineData("shop.Money", false, (int)FieldLabel.Singular, "Money", false, (int)FieldLabel.Singular)]
    [InlineData("int32", false, (int)FieldLabel.Map, "int64", false, (int)FieldLabel.Map)]
    [InlineData("int64", false, (int)FieldLabel.Repeated, "uint64", false, (int)FieldLabel.Repeated)]
    public void CompatibleChanges(string before, bool beforeIsEnum, int beforeLabel, string after, bool afterIsEnum, int afterLabel) =>
        Assert.Null(WireCompatibility.Incompatibility(before, beforeIsEnum, (FieldLabel)beforeLabel, after, afterIsEnum, (FieldLabel)afterLabel));

    [Theory]
    [InlineData("int32", false, (int)FieldLabel.Singular, "sint32", false, (int)FieldLabel.Singular)]
    [InlineData("int64", false, (int)FieldLabel.Singular, "double", false, (int)FieldLabel.Singular)]
    [InlineData("string", false, (int)FieldLabel.Singular, "Money", false, (int)FieldLabel.Singular)]
    [InlineData("Money", false, (int)FieldLabel.Singular, "Price", false, (int)FieldLabel.Singular)]
    [InlineData("Status", true, (int)FieldLabel.Singular, "State", true, (int)FieldLabel.Singular)]
    [InlineData("int32", false, (int)FieldLabel.Singular, "int32", false, (int)FieldLabel.Repeated)]
    [InlineData("string", false, (int)FieldLabel.Repeated, "string", false, (int)FieldLabel.Map)]
    [InlineData("int32", false, (int)FieldLabel.Map, "string", false, (int)FieldLabel.Map)]
    public void IncompatibleChangesSayWhy(string before, bool beforeIsEnum, int beforeLabel, string after, bool afterIsEnum, int afterLabel)
    {
        var problem = WireCompatibility.Incompatibility(before, beforeIsEnum, (FieldLabel)beforeLabel, after, afterIsEnum, (FieldLabel)afterLabel);
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }
}
