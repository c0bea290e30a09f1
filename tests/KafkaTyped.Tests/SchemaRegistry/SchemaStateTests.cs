using System.Text.Json;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Embedded.SchemaRegistry;

namespace KafkaTyped.Tests.SchemaRegistry;

/// <summary>The embedded registry's store rules: every instance applies the log in order, first writer wins.</summary>
public sealed class SchemaStateTests
{
    private static byte[] Key(string subject, int version) =>
        JsonSerializer.SerializeToUtf8Bytes(new StoreKeyJson { KeyType = "SCHEMA", Subject = subject, Version = version, Magic = 1 }, SchemaStoreJsonContext.Default.StoreKeyJson);

    private static byte[] Value(string subject, int version, int id, string text, bool deleted = false) =>
        JsonSerializer.SerializeToUtf8Bytes(new StoreSchemaValueJson { Subject = subject, Version = version, Id = id, SchemaType = "PROTOBUF", Schema = text, Deleted = deleted }, SchemaStoreJsonContext.Default.StoreSchemaValueJson);

    [Fact]
    public void An_id_taken_by_another_schema_makes_the_later_record_a_no_op()
    {
        var state = new SchemaState();
        state.Apply(Key("a", 1), Value("a", 1, 1, "A"));
        state.Apply(Key("b", 1), Value("b", 1, 1, "B")); // raced for id 1 and lost

        Assert.False(state.Subjects.ContainsKey("b"));
        Assert.Equal("A", state.ById[1].Text);
        Assert.Equal(1, state.MaxId);
    }

    [Fact]
    public void A_version_taken_by_another_schema_makes_the_later_record_a_no_op()
    {
        var state = new SchemaState();
        state.Apply(Key("a", 1), Value("a", 1, 1, "A"));
        state.Apply(Key("a", 2), Value("a", 2, 2, "B"));
        state.Apply(Key("a", 2), Value("a", 2, 3, "C"));

        Assert.Equal("B", state.Subjects["a"][2].Text);
        Assert.False(state.ById.ContainsKey(3));
    }

    [Fact]
    public void The_same_schema_keeps_its_first_id_across_subjects_and_is_not_duplicated_in_a_subject()
    {
        var state = new SchemaState();
        state.Apply(Key("a", 1), Value("a", 1, 1, "A"));
        state.Apply(Key("b", 1), Value("b", 1, 2, "A")); // another writer gave A a new id: lost
        state.Apply(Key("b", 1), Value("b", 1, 1, "A")); // the retry reuses id 1
        state.Apply(Key("a", 2), Value("a", 2, 1, "A")); // a concurrent duplicate version: lost

        Assert.Equal(1, state.Subjects["b"][1].Id);
        Assert.Single(state.Subjects["a"]);
    }

    [Fact]
    public void Soft_delete_updates_and_tombstones_remove()
    {
        var state = new SchemaState();
        state.Apply(Key("a", 1), Value("a", 1, 1, "A"));
        state.Apply(Key("a", 1), Value("a", 1, 1, "A", deleted: true));
        Assert.True(state.Subjects["a"][1].Deleted);

        state.Apply(Key("a", 1), null);
        Assert.False(state.Subjects.ContainsKey("a"));
        Assert.True(state.ById.ContainsKey(1)); // the id stays bound to its schema
    }

    [Fact]
    public void Config_records_set_and_clear_levels()
    {
        var state = new SchemaState();
        var global = JsonSerializer.SerializeToUtf8Bytes(new StoreKeyJson { KeyType = "CONFIG", Magic = 0 }, SchemaStoreJsonContext.Default.StoreKeyJson);
        var subject = JsonSerializer.SerializeToUtf8Bytes(new StoreKeyJson { KeyType = "CONFIG", Subject = "a", Magic = 0 }, SchemaStoreJsonContext.Default.StoreKeyJson);
        state.Apply(global, """{"compatibilityLevel":"FULL"}"""u8.ToArray());
        state.Apply(subject, """{"compatibilityLevel":"none"}"""u8.ToArray());

        Assert.Equal(CompatibilityLevel.Full, state.Configs[string.Empty]);
        Assert.Equal(CompatibilityLevel.None, state.Configs["a"]);
        state.Apply(subject, null);
        Assert.False(state.Configs.ContainsKey("a"));
    }

    [Fact]
    public void Mode_records_set_the_global_and_subject_modes_and_tombstones_clear_them()
    {
        static byte[] ModeKey(string? subject) =>
            JsonSerializer.SerializeToUtf8Bytes(new StoreKeyJson { KeyType = "MODE", Subject = subject, Magic = 0 }, SchemaStoreJsonContext.Default.StoreKeyJson);
        static byte[] Mode(string mode) =>
            JsonSerializer.SerializeToUtf8Bytes(new ModeJson { Mode = mode }, SchemaRegistryJsonContext.Default.ModeJson);

        var state = new SchemaState();
        state.Apply(ModeKey(null), Mode("IMPORT"));
        state.Apply(ModeKey("a"), Mode("READONLY"));
        Assert.Equal(("IMPORT", "READONLY"), (state.Modes[string.Empty], state.Modes["a"]));

        state.Apply(ModeKey("a"), null);
        Assert.Equal([string.Empty], state.Modes.Keys);
    }

    [Fact]
    public void The_served_descriptor_of_a_text_schema_is_protocs_without_options_and_named_default()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protos", "orders.proto"));
        var served = DescriptorModelWriter.Build(KafkaTyped.SchemaModel.ProtoParser.Parse(text));

        var expected = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(KafkaTyped.Tests.Protos.Shop.OrdersReflection.Descriptor.SerializedData);
        expected.Name = "default";
        expected.Options = null;
        Assert.Equal(expected, served);
    }
}
