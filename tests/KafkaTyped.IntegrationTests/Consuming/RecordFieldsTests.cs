using System.Text;
using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.GeneratedCode;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>
/// Which fields of each record the client marshals (<c>dotnet.consumer.consume.result.fields</c>): a group of one topic
/// skips the topic name and still tells its handlers the topic; a group of several topics always gets it; the
/// application's own choice is accepted at start-up and kept.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class RecordFieldsTests(EmbeddedClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string FieldsKey = "KafkaTyped:ConsumerSettings:dotnet.consumer.consume.result.fields";

    [Fact]
    public async Task A_group_of_one_topic_hands_its_handlers_the_topic_headers_and_timestamp()
    {
        var scenario = TestHosts.NewScenario(fixture, "fields-one");
        using var host = TestHosts.Build(fixture, scenario);
        await host.StartAsync();
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        var sentAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        await producer.ProduceAsync(new StringValue { Value = "with header" }, "k", new Headers { { "tenant", Encoding.UTF8.GetBytes("acme") } }, new Confluent.Kafka.Timestamp(sentAt));
        await scenario.WaitForCountAsync(1, Timeout);

        var context = Assert.Single(scenario.Log).Context;
        Assert.Equal(scenario.Set.Topic, context.Topic);
        Assert.Equal("acme", Encoding.UTF8.GetString(context.Headers!.GetLastBytes("tenant")));
        Assert.Equal(sentAt, context.Timestamp.UtcDateTime);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_group_of_two_topics_knows_each_records_topic_even_when_the_application_turns_topic_names_off()
    {
        var first = TestHosts.NewScenario(fixture, "fields-two");
        var second = new TestMessageSet(fixture.NewTopic("fields-two-b", 3), 3);
        var scenario = new TestScenario(first.GroupId, first.Set) { SecondSet = second };
        using var host = TestHosts.Build(fixture, scenario, settings: new Dictionary<string, string?> { [FieldsKey] = "none" });
        await host.StartAsync();
        var services = host.Services.GetRequiredService<ProducerServices>();
        var toFirst = host.Services.GetRequiredService<TestEventsProducer>();
        var toSecond = new TestEventsProducer(services, new TestScenario("unused", second));

        await toFirst.ProduceAsync(new StringValue { Value = first.Set.Topic }, "a");
        await toSecond.ProduceAsync(new StringValue { Value = second.Topic }, "b");
        await scenario.WaitForCountAsync(2, Timeout);

        // Each message names the topic it was sent to: the context must say the same.
        Assert.All(scenario.Log, handled => Assert.Equal(((StringValue)handled.Message).Value, handled.Context.Topic));
        Assert.Equal(new[] { first.Set.Topic, second.Topic }.Order(StringComparer.Ordinal), scenario.Log.Select(h => h.Context.Topic).Order(StringComparer.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_misspelt_client_field_list_stops_the_start_naming_the_key_and_what_it_takes()
    {
        var scenario = TestHosts.NewScenario(fixture, "fields-bad");
        using var host = TestHosts.Build(fixture, scenario, settings: new Dictionary<string, string?> { [FieldsKey] = "headers,topics" });

        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(FieldsKey + " = 'headers,topics' is refused", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'topics' is not one of them", failure.Message, StringComparison.Ordinal);
    }
}
