using Microsoft.Extensions.Logging;
using RealtimeCache;

// The real-time price cache: several instances share one replicated cache through Kafka.
//   (no arguments) / demo   three processes on one embedded cluster: writes in one appear in all, a restart rebuilds
//   host                    an interactive instance that hosts the embedded cluster and registry, and says how to join
//   join                    an interactive instance that joins a cluster given by configuration (what `host` prints)
// Configuration is the usual Microsoft.Extensions one: --KafkaTyped:BootstrapServers=... or KafkaTyped__BootstrapServers.
var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "demo";
var configuration = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

switch (mode)
{
    case "demo":
        return await Demo.RunAsync(configuration, stop.Token);
    case "host":
    case "join":
    case "child":
        var name = Environment.GetEnvironmentVariable("REALTIME_CACHE_INSTANCE") ?? $"{mode}-{Environment.ProcessId}";
        await using (var instance = await CacheInstance.StartAsync(name, configuration, mode == "child" ? LogLevel.Warning : LogLevel.Information, stop.Token))
        {
            if (mode == "host")
            {
                Console.WriteLine($"""

                    {name} hosts the embedded Kafka cluster and Schema Registry. Join it from other terminals, in this project's folder, with:

                      dotnet run -- join --KafkaTyped:BootstrapServers={instance.BootstrapServers}

                    """);
            }

            instance.Cache.Changed += change => Console.WriteLine(
                $"[{name}] {change.Kind.ToString().ToLowerInvariant()} {change.Key}{(change.Value is { } v ? " = " + v.Display : string.Empty)} (partition {change.Partition}, offset {change.Offset})");
            Console.WriteLine($"READY {name} with {instance.Cache.Count} prices: {instance.View()}");
            Console.WriteLine($"[{name}] commands: set <sku> <price> | del <sku> | show | quit");
            while (!stop.IsCancellationRequested && await Console.In.ReadLineAsync(stop.Token) is { } line)
            {
                if (!await instance.ExecuteAsync(line, Console.Out, stop.Token))
                {
                    break;
                }
            }
        }

        return 0;
    default:
        Console.Error.WriteLine($"unknown mode '{mode}': use demo, host or join");
        return 2;
}
