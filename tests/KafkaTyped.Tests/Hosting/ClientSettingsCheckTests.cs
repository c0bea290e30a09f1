using KafkaTyped.Hosting;

namespace KafkaTyped.Tests.Hosting;

public sealed class ClientSettingsCheckTests
{
    [Theory]
    [InlineData("broker:9092")]
    [InlineData("broker1:9092, broker2:9093")]
    [InlineData("PLAINTEXT://broker:9092,SSL://other:9093")]
    [InlineData("[::1]:9092")]
    [InlineData("broker")]
    [InlineData("10.0.0.1:65535")]
    public void Valid_bootstrap_lists_pass(string bootstrap) => Assert.Null(ClientSettingsCheck.CheckBootstrapServers(bootstrap));

    [Theory]
    [InlineData("not a host:xx", "port 'xx'")]
    [InlineData("broker:0", "port '0'")]
    [InlineData("broker:", "port ''")]
    [InlineData("a:1,", "empty entry")]
    [InlineData(":9092", "no valid host name")]
    [InlineData("my broker:9092", "no valid host name")]
    [InlineData("[::1:9092", "never closes")]
    public void Malformed_bootstrap_lists_say_what_is_wrong(string bootstrap, string reason) =>
        Assert.Contains(reason, ClientSettingsCheck.CheckBootstrapServers(bootstrap), StringComparison.Ordinal);

    [Fact]
    public void Librdkafka_refuses_unknown_names_and_invalid_values_and_the_key_is_named()
    {
        var errors = ClientSettingsCheck.Check(new Dictionary<string, string> { ["acks"] = "maybe", ["linger.ms"] = "5", ["no.such.thing"] = "1", ["ssl.key.password"] = "bad value?" }, "KafkaTyped:Settings", ClientKinds.All).ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("KafkaTyped:Settings:acks = 'maybe'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("KafkaTyped:Settings:no.such.thing = '1' is refused by librdkafka: No such configuration property", StringComparison.Ordinal));
    }

    [Fact]
    public void Confluent_clients_own_settings_pass_when_valid_instead_of_being_called_unknown_by_librdkafka()
    {
        var consumers = ClientSettingsCheck.Check(new Dictionary<string, string> { ["dotnet.consumer.consume.result.fields"] = "headers, timestamp" }, "KafkaTyped:ConsumerSettings", ClientKinds.Consumers);
        var producers = ClientSettingsCheck.Check(new Dictionary<string, string>
        {
            ["dotnet.producer.delivery.report.fields"] = "none",
            ["dotnet.producer.enable.delivery.reports"] = "true",
        }, "KafkaTyped:ProducerSettings", ClientKinds.Producers);
        var all = ClientSettingsCheck.Check(new Dictionary<string, string> { ["dotnet.cancellation.delay.max.ms"] = "50" }, "KafkaTyped:Settings", ClientKinds.All);

        Assert.Empty(consumers.Concat(producers).Concat(all));
    }

    [Theory]
    [InlineData("KafkaTyped:Settings", "All", "dotnet.consumer.consume.result.fields", "Move it to KafkaTyped:ConsumerSettings")]
    [InlineData("KafkaTyped:ProducerSettings", "Producers", "dotnet.consumer.consume.result.fields", "Move it to KafkaTyped:ConsumerSettings")]
    [InlineData("KafkaTyped:Settings", "All", "dotnet.producer.delivery.report.fields", "Move it to KafkaTyped:ProducerSettings")]
    [InlineData("KafkaTyped:Consumers:billing:Settings", "Consumers", "dotnet.producer.delivery.report.fields", "Move it to KafkaTyped:ProducerSettings")]
    public void A_client_setting_in_a_section_whose_clients_refuse_it_says_where_it_goes(string section, string clients, string name, string where)
    {
        var error = Assert.Single(ClientSettingsCheck.Check(new Dictionary<string, string> { [name] = "none" }, section, Enum.Parse<ClientKinds>(clients)));

        Assert.StartsWith($"{section}:{name} = 'none' is refused: ", error, StringComparison.Ordinal);
        Assert.Contains(where, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dotnet.consumer.consume.result.fields", "headers,topics", "'topics' is not one of them")]
    [InlineData("dotnet.consumer.consume.result.fields", "", "it has an empty entry")]
    [InlineData("dotnet.consumer.consume.result.fields", "headers,", "it has an empty entry")]
    [InlineData("dotnet.consumer.consume.result.fields", "Headers", "'Headers' is not one of them")]
    [InlineData("dotnet.consumer.consume.result.fields", "none,topic", "'none' is not one of them")]
    [InlineData("dotnet.producer.delivery.report.fields", "key,offset", "'offset' is not one of them")]
    [InlineData("dotnet.producer.enable.delivery.reports", "false", "sends would never complete")]
    [InlineData("dotnet.producer.enable.background.poll", "no", "true or false")]
    [InlineData("dotnet.cancellation.delay.max.ms", "0", "from 1 to 10000")]
    [InlineData("dotnet.consumer.result.fields", "none", "Confluent.Kafka has no such setting (it knows dotnet.consumer.consume.result.fields")]
    public void Confluent_clients_own_settings_are_checked_and_the_key_is_named(string name, string value, string reason)
    {
        var error = Assert.Single(ClientSettingsCheck.Check(new Dictionary<string, string> { [name] = value }, "KafkaTyped:ConsumerSettings", ClientKinds.Consumers));

        Assert.StartsWith($"KafkaTyped:ConsumerSettings:{name} = '{value}' is refused: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
