using AotWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// One run of a KafkaTyped worker, end to end, then exit: 0 when every check held, 1 otherwise. Built with
// `dotnet publish -c Release -r linux-x64` it is a Native AOT executable (see eng/aot.sh); with `dotnet run` the same
// code runs on the JIT, for comparison. With no KafkaTyped:BootstrapServers it runs on the embedded Kafka cluster and
// Schema Registry inside the process. Options: --AotWorker:Orders=100 --AotWorker:Timeout=00:02:00.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton<BilledOrders>();
builder.Services.AddKafkaTyped(builder.Configuration);
builder.Services.AddSingleton(ScenarioSettings.From(builder.Configuration));
builder.Services.AddHostedService<Scenario>();
await builder.Build().RunAsync();
return Environment.ExitCode;
