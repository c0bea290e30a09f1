using KafkaTyped.SchemaModel;

namespace KafkaTyped.Tests.SchemaRegistry;

public sealed class ProtoCompatibilityTests
{
    private const string Base = """
        syntax = "proto3";
        package shop;
        message Order {
          string id = 1;
          int32 qty = 2;
          Status status = 3;
          Money price = 4;
          repeated string tags = 5;
          map<string, int32> counts = 6;
          reserved 9;
        }
        message Money { int64 units = 1; }
        enum Status { UNKNOWN = 0; OPEN = 1; }
        """;

    [Theory]
    [InlineData("string id = 1;", "string id = 1; string note = 7;", "FIELD_ADDED", true)]
    [InlineData("int32 qty = 2;", "", "FIELD_REMOVED", true)]
    [InlineData("int32 qty = 2;", "int32 quantity = 2;", "FIELD_NAME_CHANGED", true)]
    [InlineData("int32 qty = 2;", "int64 qty = 2;", "FIELD_NAME_CHANGED", true, false)]
    [InlineData("int32 qty = 2;", "bool qty = 2;", "", true)]
    [InlineData("int32 qty = 2;", "sint32 qty = 2;", "FIELD_SCALAR_KIND_CHANGED", false)]
    [InlineData("int32 qty = 2;", "string qty = 2;", "FIELD_SCALAR_KIND_CHANGED", false)]
    [InlineData("int32 qty = 2;", "fixed32 qty = 2;", "FIELD_SCALAR_KIND_CHANGED", false)]
    [InlineData("int32 qty = 2;", "double qty = 2;", "FIELD_SCALAR_KIND_CHANGED", false)]
    [InlineData("string id = 1;", "bytes id = 1;", "", true)]
    [InlineData("Status status = 3;", "int32 status = 3;", "", true)]
    [InlineData("Status status = 3;", "string status = 3;", "FIELD_SCALAR_KIND_CHANGED", false)]
    [InlineData("Money price = 4;", "int64 price = 4;", "FIELD_KIND_CHANGED", false)]
    [InlineData("Money price = 4;", "Order price = 4;", "FIELD_NAMED_TYPE_CHANGED", false)]
    [InlineData("map<string, int32> counts = 6;", "repeated string counts = 6;", "FIELD_KIND_CHANGED", false)]
    [InlineData("map<string, int32> counts = 6;", "map<string, int64> counts = 6;", "FIELD_NAMED_TYPE_CHANGED", false)]
    [InlineData("int32 qty = 2;", "repeated int32 qty = 2;", "FIELD_LABEL_CHANGED", false)]
    [InlineData("int32 qty = 2;", "optional int32 qty = 2;", "", true)]
    [InlineData("string id = 1;", "string id = 1; string reused = 9;", "RESERVED_FIELD_NUMBER_REUSED", false)]
    [InlineData("string id = 1;", "oneof which { string id = 1; }", "ONEOF_ADDED", true)]
    public void Field_rules(string before, string after, string expectedKind, bool compatible, bool expectKind = true)
    {
        var original = ProtoParser.Parse(Base);
        var update = ProtoParser.Parse(Base.Replace(before, after, StringComparison.Ordinal));
        var differences = ProtoCompatibility.Compare(original, update);

        Assert.Equal(compatible, differences.All(d => d.IsCompatible));
        if (expectedKind.Length > 0 && expectKind)
        {
            Assert.Contains(differences, d => d.Kind == expectedKind && d.IsCompatible == compatible);
        }
    }

    [Fact]
    public void Removing_a_message_is_incompatible_and_adding_one_is_not()
    {
        var original = ProtoParser.Parse(Base);
        var removed = ProtoParser.Parse(Base.Replace("message Money { int64 units = 1; }", string.Empty, StringComparison.Ordinal).Replace("Money price = 4;", string.Empty, StringComparison.Ordinal));
        var added = ProtoParser.Parse(Base + "message Refund { string id = 1; }");

        var removal = Assert.Single(ProtoCompatibility.Incompatibilities(original, removed));
        Assert.Equal("MESSAGE_REMOVED", removal.Kind);
        Assert.Contains("shop.Money", removal.Path, StringComparison.Ordinal);
        Assert.Empty(ProtoCompatibility.Incompatibilities(original, added));
        Assert.Contains(ProtoCompatibility.Compare(original, added), d => d.Kind == "MESSAGE_ADDED");
    }

    [Fact]
    public void Required_fields_added_or_removed_are_incompatible()
    {
        var original = ProtoParser.Parse("syntax = \"proto2\"; message M { required string a = 1; optional string b = 2; }");
        Assert.Contains(ProtoCompatibility.Incompatibilities(original, ProtoParser.Parse("syntax = \"proto2\"; message M { optional string b = 2; }")), d => d.Kind == "REQUIRED_FIELD_REMOVED");
        Assert.Contains(ProtoCompatibility.Incompatibilities(original, ProtoParser.Parse("syntax = \"proto2\"; message M { required string a = 1; optional string b = 2; required int32 c = 3; }")), d => d.Kind == "REQUIRED_FIELD_ADDED");
    }

    [Fact]
    public void Explicit_label_changes_follow_confluent()
    {
        var original = ProtoParser.Parse("syntax = \"proto2\"; message M { optional string s = 1; optional int32 n = 2; }");
        var update = ProtoParser.Parse("syntax = \"proto2\"; message M { repeated string s = 1; repeated int32 n = 2; }");
        var differences = ProtoCompatibility.Compare(original, update);

        Assert.Contains(differences, d => d.Kind == "FIELD_STRING_OR_BYTES_LABEL_CHANGED" && d.IsCompatible);
        Assert.Contains(differences, d => d.Kind == "FIELD_NUMERIC_LABEL_CHANGED" && !d.IsCompatible);
    }

    [Fact]
    public void Moving_several_existing_fields_into_a_new_oneof_is_incompatible()
    {
        var original = ProtoParser.Parse("syntax = \"proto3\"; message M { string a = 1; int32 b = 2; }");
        var update = ProtoParser.Parse("syntax = \"proto3\"; message M { oneof o { string a = 1; int32 b = 2; } }");
        Assert.Contains(ProtoCompatibility.Incompatibilities(original, update), d => d.Kind == "MULTIPLE_FIELDS_MOVED_TO_ONEOF");
    }

    [Fact]
    public void Oneof_field_removed_is_incompatible()
    {
        var original = ProtoParser.Parse("syntax = \"proto3\"; message M { oneof o { string a = 1; int32 b = 2; } }");
        var update = ProtoParser.Parse("syntax = \"proto3\"; message M { oneof o { string a = 1; } }");
        Assert.Contains(ProtoCompatibility.Incompatibilities(original, update), d => d.Kind == "ONEOF_FIELD_REMOVED");
    }

    [Fact]
    public void Confluent_mode_skips_KafkaTyped_rules()
    {
        var original = ProtoParser.Parse(Base);
        var update = ProtoParser.Parse(Base.Replace("int32 qty = 2;", "repeated int32 qty = 2; string reused = 9;", StringComparison.Ordinal));

        Assert.Empty(ProtoCompatibility.Incompatibilities(original, update, strict: false));
        Assert.Equal(2, ProtoCompatibility.Incompatibilities(original, update, strict: true).Count);
    }

    [Fact]
    public void Reuse_of_a_removed_number_with_another_type_is_caught_against_the_version_that_had_it()
    {
        var v1 = ProtoParser.Parse("syntax = \"proto3\"; message M { string a = 1; int32 b = 2; }");
        var v2 = ProtoParser.Parse("syntax = \"proto3\"; message M { string a = 1; }");
        var v3 = ProtoParser.Parse("syntax = \"proto3\"; message M { string a = 1; string b = 2; }");

        Assert.Empty(ProtoCompatibility.Incompatibilities(v2, v3));
        Assert.Contains(ProtoCompatibility.Incompatibilities(v1, v3), d => d.Kind == "FIELD_SCALAR_KIND_CHANGED");
    }

    [Fact]
    public void Package_rename_alone_is_compatible()
    {
        var original = ProtoParser.Parse(Base);
        var update = ProtoParser.Parse(Base.Replace("package shop;", "package store;", StringComparison.Ordinal));
        var differences = ProtoCompatibility.Compare(original, update);

        Assert.Contains(differences, d => d.Kind == "PACKAGE_CHANGED");
        Assert.All(differences, d => Assert.True(d.IsCompatible, d.ToString()));
    }
}
