using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;

namespace KafkaTyped.Tests.Consuming;

public sealed class HostingUnitTests
{
    [Theory]
    [InlineData("sasl.password", true)]
    [InlineData("ssl.key.password", true)]
    [InlineData("sasl.oauthbearer.client.secret", true)]
    [InlineData("ssl.keystore.location", true)]
    [InlineData("bootstrap.servers", false)]
    [InlineData("sasl.username", false)]
    public void Secret_settings_are_recognised(string key, bool secret) => Assert.Equal(secret, ConfigRedaction.IsSecret(key));

    [Fact]
    public void Describe_sorts_and_redacts()
    {
        var text = ConfigRedaction.Describe(new Dictionary<string, string> { ["sasl.password"] = "hunter2", ["acks"] = "all" });
        Assert.Equal("acks=all, sasl.password=***", text);
    }

    [Fact]
    public void Keys_use_the_Java_serializers_byte_order()
    {
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, KafkaKeys.Int32(256));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0xFF }, KafkaKeys.Int64(255));
        Assert.Equal("abc"u8.ToArray(), KafkaKeys.Utf8("abc"));
        Assert.Null(KafkaKeys.Utf8(null));
        Assert.Equal(new byte[] { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF }, KafkaKeys.Guid(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff")));
    }
}
