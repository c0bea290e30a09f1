using System.Text;
using Confluent.Kafka;
using KafkaTyped.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A first look at KafkaTyped: with no KafkaTyped:BootstrapServers configured the application runs on an embedded
// Kafka cluster. This sample produces a few price changes and reads them back; it grows into the replicated
// real-time cache as the cache lands.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddKafkaTypedCore(builder.Configuration);
using var host = builder.Build();

var cluster = host.Services.GetRequiredService<KafkaCluster>();
const string topic = "prices";
cluster.Embedded?.CreateTopic(topic, partitions: 6);

var prices = new (string Sku, decimal Price)[] { ("apple", 0.45m), ("pear", 0.60m), ("plum", 0.30m), ("apple", 0.49m) };

using (var producer = new ProducerBuilder<string, string>(cluster.CreateProducerConfig()).Build())
{
    foreach (var (sku, price) in prices)
    {
        var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = sku, Value = price.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Console.WriteLine($"produced {sku} = {price} to {result.TopicPartitionOffset}");
    }
}

using (var consumer = new ConsumerBuilder<string, string>(cluster.CreateConsumerConfig("realtime-cache-sample")).Build())
{
    consumer.Subscribe(topic);
    var latest = new Dictionary<string, string>(StringComparer.Ordinal);
    var deadline = DateTime.UtcNow.AddSeconds(30);
    var seen = 0;
    while (seen < prices.Length && DateTime.UtcNow < deadline)
    {
        var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
        if (record is null)
        {
            continue;
        }

        seen++;
        latest[record.Message.Key] = record.Message.Value;
        Console.WriteLine($"consumed {record.Message.Key} = {record.Message.Value} from {record.TopicPartitionOffset}");
    }

    consumer.Close();
    var view = new StringBuilder("cache view: ");
    foreach (var (sku, price) in latest.OrderBy(p => p.Key, StringComparer.Ordinal))
    {
        view.Append(sku).Append('=').Append(price).Append(' ');
    }

    Console.WriteLine(view.ToString().TrimEnd());
    if (seen != prices.Length)
    {
        Console.Error.WriteLine($"expected {prices.Length} messages, consumed {seen}");
        return 1;
    }
}

cluster.Dispose();
return 0;
