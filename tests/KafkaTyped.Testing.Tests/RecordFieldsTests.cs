using KafkaTyped.Consuming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.Testing.Tests;

/// <summary>
/// An application may tell its consumers to skip record fields (<c>dotnet.consumer.consume.result.fields</c>); what the
/// test host reads for a test (records, dead letters with their error headers) is still whole.
/// </summary>
public sealed class RecordFieldsTests
{
    [Fact]
    public async Task Dead_letters_keep_their_topic_and_error_headers_when_the_applications_consumers_skip_every_field()
    {
        await using var kafka = await KafkaTestHost.StartAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["KafkaTyped:ConsumerSettings:dotnet.consumer.consume.result.fields"] = "none",
            });
            builder.Services.AddSingleton<Ledger>();
            builder.Services.AddKafkaTyped(builder.Configuration);
        });
        var id = "order-" + Guid.NewGuid().ToString("N")[..12];

        await kafka.GetRequiredService<IShopEventsProducer>().ProduceAsync(new OrderPlaced(id, -5));
        var deadLetter = await kafka.WaitForDeadLetterAsync(ShopEventsSet.Instance, d => d.Key == id);

        Assert.Equal("testing-shop.dlq", deadLetter.Position.Topic);
        Assert.Equal(typeof(NonRetryableException).FullName, deadLetter.ExceptionType);
        Assert.Contains("negative amount", deadLetter.ExceptionMessage, StringComparison.Ordinal);
        Assert.Equal("testing-billing", deadLetter.GroupId);
    }
}
