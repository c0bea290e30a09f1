using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.IntegrationTests.Consuming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaTyped.IntegrationTests.Hosting;

/// <summary>
/// Bad configuration stops the application when the host starts, with the configuration key that holds the mistake and
/// what to do, instead of a nameless FormatException, a hang until the delivery timeout, or an error at the first send.
/// </summary>
public sealed class ConfigurationValidationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("not a host:xx", "port 'xx', which is not a number from 1 to 65535")]
    [InlineData("broker:9092,,broker2:9092", "empty entry")]
    [InlineData("broker:99999", "port '99999'")]
    public async Task A_malformed_bootstrap_list_stops_the_host_naming_the_key(string bootstrap, string reason)
    {
        var error = await StartFailsAsync(new() { ["KafkaTyped:BootstrapServers"] = bootstrap });

        Assert.Contains($"KafkaTyped:BootstrapServers = '{bootstrap}' is not a Kafka bootstrap list", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("broker1:9092,broker2:9092", error.Message, StringComparison.Ordinal); // the fix
    }

    [Fact]
    public async Task An_invalid_librdkafka_value_and_an_unknown_setting_are_reported_together_with_their_keys()
    {
        var error = await StartFailsAsync(new()
        {
            ["KafkaTyped:BootstrapServers"] = "broker:9092",
            ["KafkaTyped:Settings:acks"] = "maybe",
            ["KafkaTyped:ProducerSettings:lingr.ms"] = "5",
            ["KafkaTyped:ConsumerSettings:sasl.password"] = "hunter2",
        });

        Assert.Contains("KafkaTyped:Settings:acks = 'maybe' is refused by librdkafka", error.Message, StringComparison.Ordinal);
        Assert.Contains("KafkaTyped:ProducerSettings:lingr.ms = '5' is refused by librdkafka: No such configuration property", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal); // a valid secret is neither refused nor shown
    }

    [Fact]
    public async Task A_consumer_group_s_invalid_options_stop_the_host_naming_the_group_s_keys()
    {
        var error = await StartFailsAsync(new()
        {
            ["KafkaTyped:BootstrapServers"] = "broker:9092",
            ["KafkaTyped:Consumers:bad-group:MaxConcurrencyPerPartition"] = "0",
            ["KafkaTyped:Consumers:bad-group:Retry:InitialDelay"] = "00:01:00",
            ["KafkaTyped:Consumers:bad-group:Settings:session.timeout.ms"] = "soon",
        }, consumerGroup: "bad-group");

        Assert.Contains("KafkaTyped:Consumers:bad-group", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrencyPerPartition", error.Message, StringComparison.Ordinal);
        Assert.Contains("KafkaTyped:Consumers:bad-group:Retry:InitialDelay (00:01:00) is longer than", error.Message, StringComparison.Ordinal);
        Assert.Contains("KafkaTyped:Consumers:bad-group:Settings:session.timeout.ms = 'soon' is refused by librdkafka", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_configuration_starts()
    {
        var scenario = new TestScenario("good-group", new TestMessageSet("validation-ok", partitions: 1));
        using var host = Build(new()
        {
            ["KafkaTyped:Settings:acks"] = "all",
            ["KafkaTyped:Consumers:good-group:MaxConcurrencyPerPartition"] = "4",
        }, scenario);
        await host.StartAsync().WaitAsync(Patience);
        Assert.Equal(4, host.Services.GetRequiredService<IOptionsMonitor<ConsumerGroupOptions>>().Get("good-group").MaxConcurrencyPerPartition);
        await host.StopAsync();
    }

    private static async Task<OptionsValidationException> StartFailsAsync(Dictionary<string, string?> settings, string consumerGroup = "unused-group")
    {
        var scenario = new TestScenario(consumerGroup, new TestMessageSet("validation", partitions: 1));
        using var host = Build(settings, scenario);
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(Patience));
    }

    private static IHost Build(Dictionary<string, string?> settings, TestScenario scenario)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IPayloadCodec, ConfluentFramingWithoutRegistry>();
        builder.Services.AddKafkaTypedCore(builder.Configuration);
        builder.Services.AddSingleton(scenario);
        builder.Services.AddSingleton(new HostIdentity("validation"));
        builder.Services.AddScoped<RecordingHandler>();
        builder.Services.AddKafkaTypedConsumer<TestDispatcher>();
        return builder.Build();
    }
}
