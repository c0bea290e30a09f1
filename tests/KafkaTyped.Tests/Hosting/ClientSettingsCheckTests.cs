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
        var errors = ClientSettingsCheck.Check(new Dictionary<string, string> { ["acks"] = "maybe", ["linger.ms"] = "5", ["no.such.thing"] = "1", ["ssl.key.password"] = "bad value?" }, "KafkaTyped:Settings").ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("KafkaTyped:Settings:acks = 'maybe'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("KafkaTyped:Settings:no.such.thing = '1' is refused by librdkafka: No such configuration property", StringComparison.Ordinal));
    }
}
