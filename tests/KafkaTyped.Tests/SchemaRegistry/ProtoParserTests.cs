using KafkaTyped.SchemaModel;
using KafkaTyped.Embedded.SchemaRegistry;
using KafkaTyped.Tests.Protos;

namespace KafkaTyped.Tests.SchemaRegistry;

public sealed class ProtoParserTests
{
    [Fact]
    public void Parses_messages_nested_types_and_resolves_references()
    {
        var file = ProtoParser.Parse(File.ReadAllText(Path.Combine(TestMessageSets.ProtoDirectory, "orders.proto")));

        Assert.Equal("proto3", file.Syntax);
        Assert.Equal("shop", file.Package);
        Assert.Equal(["shop.Order", "shop.Envelope"], file.Messages.Select(m => m.FullName));
        var envelope = file.Messages[1];
        Assert.Equal(["shop.Envelope.Header", "shop.Envelope.Body"], envelope.Messages.Select(m => m.FullName));
        Assert.Equal("shop.Envelope.Header", envelope.Fields[0].Type);
        Assert.Equal(ProtoTypeKind.Message, envelope.Fields[0].Kind);
        Assert.Equal(ProtoLabel.None, file.Messages[0].Fields[0].Label);
    }

    [Fact]
    public void Parses_maps_oneofs_enums_reserved_labels_and_comments()
    {
        const string text = """
            // leading comment
            syntax = "proto2";
            package a.b;
            import public "x/y.proto";
            option java_package = "com.example";
            /* block
               comment */
            message M {
              option deprecated = true;
              required int32 id = 1 [default = 7];
              repeated string tags = 2 [packed = false];
              map<string, Inner> inners = 3;
              oneof choice {
                string s = 4;
                Color c = 5;
              }
              reserved 9, 11 to 13, 20 to max;
              reserved "old", "older";
              enum Color { option allow_alias = true; RED = 0; CRIMSON = 0; BLUE = -1 [deprecated = true]; }
              message Inner { optional .a.b.M.Color color = 1; }
              extensions 100 to 199;
            }
            service S { rpc Get (M) returns (M) { option idempotency_level = NO_SIDE_EFFECTS; } }
            extend M { optional int32 ext = 100; }
            """;
        var file = ProtoParser.Parse(text);
        var m = file.Messages.Single();

        Assert.Equal(["x/y.proto"], file.Imports);
        Assert.Equal(ProtoLabel.Required, m.Fields[0].Label);
        Assert.Equal(ProtoLabel.Repeated, m.Fields[1].Label);
        Assert.Equal(ProtoTypeKind.Map, m.Fields[2].Kind);
        Assert.Equal("string", m.Fields[2].MapKeyType);
        Assert.Equal("a.b.M.Inner", m.Fields[2].MapValueType);
        Assert.Equal("choice", m.Fields[3].Oneof);
        Assert.Equal(ProtoTypeKind.Enum, m.Fields[4].Kind);
        Assert.Equal("a.b.M.Color", m.Fields[4].Type);
        Assert.True(m.IsReserved(12));
        Assert.True(m.IsReserved(1000));
        Assert.False(m.IsReserved(10));
        Assert.Equal(["old", "older"], m.ReservedNames);
        Assert.Equal(-1, m.Enums[0].Values[2].Value);
        Assert.Equal(ProtoTypeKind.Enum, m.Messages[0].Fields[0].Kind);
    }

    [Theory]
    [InlineData("syntax = \"proto3\"; message M { int32 x = ; }", 1)]
    [InlineData("syntax = \"proto3\";\nmessage M {\n  int32 x = 1\n}", 4)]
    [InlineData("syntax = \"proto3\";\nmessage M { string s = 1; ", 2)]
    [InlineData("syntax = \"proto3\";\nfoo bar;", 2)]
    [InlineData("syntax = \"proto3\"; message M { string s = \"x\"; }", 1)]
    public void Invalid_text_is_reported_with_its_line(string text, int line)
    {
        var exception = Assert.Throws<ProtoParseException>(() => ProtoParser.Parse(text));
        Assert.Equal(line, exception.Line);
    }

    [Fact]
    public void Mutated_inputs_never_throw_anything_but_ProtoParseException()
    {
        var source = File.ReadAllText(Path.Combine(TestMessageSets.ProtoDirectory, "payments.proto"));
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var chars = source.ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars.RemoveAt(at); break;
                    case 1: chars.Insert(at, "{};=<>\"0a."[random.Next(10)]); break;
                    default: chars.RemoveRange(at, chars.Count - at); break;
                }
            }

            try
            {
                ProtoParser.Parse(new string(chars.ToArray()));
            }
            catch (ProtoParseException)
            {
            }
        }
    }

    [Theory]
    [InlineData("orders.proto")]
    [InlineData("orders_v2.proto")]
    [InlineData("common/money.proto")]
    [InlineData("payments.proto")]
    public void Text_and_protoc_descriptor_of_one_file_print_the_same_canonical_text(string name)
    {
        var descriptor = name switch
        {
            "orders.proto" => KafkaTyped.Tests.Protos.Shop.OrdersReflection.Descriptor,
            "orders_v2.proto" => KafkaTyped.Tests.Protos.ShopV2.OrdersV2Reflection.Descriptor,
            "common/money.proto" => KafkaTyped.Tests.Protos.Common.MoneyReflection.Descriptor,
            _ => KafkaTyped.Tests.Protos.Billing.PaymentsReflection.Descriptor,
        };
        var fromText = ProtoPrinter.Print(ProtoParser.Parse(File.ReadAllText(Path.Combine(TestMessageSets.ProtoDirectory, name))));
        var fromDescriptor = ProtoPrinter.Print(DescriptorModelReader.Read(descriptor.SerializedData.ToByteArray()));

        Assert.Equal(fromText, fromDescriptor);
        Assert.Equal(fromText, ProtoPrinter.Print(ProtoParser.Parse(fromText)));
    }

    [Fact]
    public void Canonical_text_has_the_expected_shape()
    {
        var text = ProtoPrinter.Print(ProtoParser.Parse(File.ReadAllText(Path.Combine(TestMessageSets.ProtoDirectory, "orders.proto"))));
        Assert.Equal(
            """
            syntax = "proto3";
            package shop;

            message Order {
              string id = 1;
              int32 qty = 2;
            }

            message Envelope {
              shop.Envelope.Header header = 1;
              shop.Envelope.Body body = 2;
              message Header {
                string trace = 1;
              }
              message Body {
                bytes data = 1;
              }
            }

            """.ReplaceLineEndings("\n"),
            text);
    }
}
