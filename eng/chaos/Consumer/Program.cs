using KafkaTyped.Chaos;
using KafkaTyped.Chaos.Consumer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// A member of the chaos consumer group. Joins the cluster given by --KafkaTyped:BootstrapServers (the embedded one the
// chaos host runs, so it gets the embedded client tuning by itself), records every handled record to --chaos:record,
// and stops gracefully (drain, commit, leave) on "quit" or at the end of its input. The runner kill -9s it at will.
var builder = ChaosApp.CreateBuilder(args);
using var log = RecordLog.Create(ChaosApp.Setting(builder.Configuration, "record"), long.Parse(ChaosApp.Setting(builder.Configuration, "capacity"), System.Globalization.CultureInfo.InvariantCulture));
builder.Logging.AddProvider(new GroupEvents(log));
builder.Services.AddSingleton(log);
builder.Services.AddKafkaTyped(builder.Configuration);
using var host = builder.Build();
if (!await ChaosApp.TryStartAsync(host))
{
    return 3;
}

ChaosApp.Say($"STARTED {Environment.ProcessId}");
await ChaosApp.CommandLoopAsync(static _ => Task.CompletedTask);
await host.StopAsync();
ChaosApp.Say("STOPPED");
return 0;
