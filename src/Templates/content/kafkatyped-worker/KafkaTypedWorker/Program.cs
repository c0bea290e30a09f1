using KafkaTypedWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// With no KafkaTyped:BootstrapServers configured, the application starts an embedded Kafka cluster and Schema Registry
// in its own process. Point it at a real cluster with KafkaTyped__BootstrapServers=broker:9092 (see appsettings.json).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddBilling(builder.Configuration);
builder.Services.Configure<OrderSourceOptions>(builder.Configuration.GetSection("OrderSource"));
builder.Services.AddHostedService<OrderSource>();
builder.Build().Run();
