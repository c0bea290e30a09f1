using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Consuming;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Tests.Consuming;

public sealed class RecordFieldsTests
{
    private const string Key = "dotnet.consumer.consume.result.fields";

    [Fact]
    public void A_group_of_one_topic_skips_the_topic_name_and_keeps_headers_and_timestamp()
    {
        var config = new ConsumerConfig();

        RecordFields.ChooseForGroup(config, [new Set("orders"), new Set("orders")]);

        Assert.Equal("headers,timestamp", config.Get(Key));
    }

    [Fact]
    public void A_group_of_several_topics_gets_topic_names()
    {
        var config = new ConsumerConfig();

        RecordFields.ChooseForGroup(config, [new Set("orders"), new Set("refunds")]);

        Assert.Equal("headers,timestamp,topic", config.Get(Key));
    }

    [Theory]
    [InlineData("none", "topic")]
    [InlineData("headers", "headers,topic")]
    [InlineData("all", "all")]
    [InlineData("topic,headers", "topic,headers")]
    [InlineData("headers, timestamp", "headers,timestamp,topic")]
    public void The_applications_choice_is_kept_and_gets_the_topic_when_the_group_needs_it(string chosen, string several)
    {
        var one = new ConsumerConfig { ConsumeResultFields = chosen };
        var two = new ConsumerConfig { ConsumeResultFields = chosen };

        RecordFields.ChooseForGroup(one, [new Set("orders")]);
        RecordFields.ChooseForGroup(two, [new Set("orders"), new Set("refunds")]);

        Assert.Equal(chosen, one.Get(Key));
        Assert.Equal(several, two.Get(Key));
    }

    [Fact]
    public void A_replica_reads_keys_and_values_only_whatever_the_application_set()
    {
        var config = new ConsumerConfig { ConsumeResultFields = "all" };

        RecordFields.ChooseForReplica(config);

        Assert.Equal("none", config.Get(Key));
    }

    [Fact]
    public void A_topic_reader_keeps_the_default_or_adds_the_topic_to_the_applications_choice()
    {
        var untouched = new ConsumerConfig();
        var chosen = new ConsumerConfig { ConsumeResultFields = "timestamp" };

        RecordFields.KeepTopic(untouched);
        RecordFields.KeepTopic(chosen);

        Assert.Null(untouched.Get(Key));
        Assert.Equal("timestamp,topic", chosen.Get(Key));
    }

    [Fact]
    public void Only_topic_is_null_for_several_topics_or_none()
    {
        Assert.Equal("orders", RecordFields.OnlyTopic([new Set("orders")]));
        Assert.Null(RecordFields.OnlyTopic([new Set("orders"), new Set("refunds")]));
        Assert.Null(RecordFields.OnlyTopic([]));
    }

    private sealed class Set(string topic) : MessageSetDefinition
    {
        public override string Topic => topic;

        public override int Partitions => 1;

        public override ProtoFile File => throw new NotSupportedException();

        public override IReadOnlyList<string> MessageNames => [];

        public override MessageParser? ParserOf(int messageIndex) => null;
    }
}
