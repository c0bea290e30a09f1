using System.Globalization;
using KafkaTyped.Chaos;
using KafkaTyped.Chaos.Cache;
using Microsoft.Extensions.DependencyInjection;

// An instance sharing the chaos cache. Every instance records each change its replica applies (--chaos:record), from
// the first record of its bootstrap on. --chaos:role=writer also runs its share of the CachePlan, one round at a time,
// records each write that returned, and keeps its progress in --chaos:progress so that after kill -9 it resumes at the
// round it had not finished. Commands: "dump <file>" writes the replica's state; "quit" stops.
var builder = ChaosApp.CreateBuilder(args);
var configuration = builder.Configuration;
using var log = RecordLog.Create(ChaosApp.Setting(configuration, "record"), long.Parse(ChaosApp.Setting(configuration, "capacity"), CultureInfo.InvariantCulture));
builder.Services.AddKafkaTyped(configuration);
using var host = builder.Build();
var cache = host.Services.GetRequiredService<ChaosCache>();
cache.Changed += change => log.Append(change.Value is { } value
    ? LogRecord.Create(RecordKind.CacheSet, CachePlan.KeyIndex(change.Key), value.Op, change.Partition, change.Offset)
    : LogRecord.Create(RecordKind.CacheDeleted, CachePlan.KeyIndex(change.Key), -1, change.Partition, change.Offset));
if (!await ChaosApp.TryStartAsync(host))
{
    return 3;
}

using var stop = new CancellationTokenSource();
try
{
    // Generous: in the soak, on a loaded machine, a restarted replica replays a topic of 100,000s of records while
    // brokers keep going away; the runner bounds the whole run anyway.
    await cache.WaitUntilReadyAsync(new CancellationTokenSource(TimeSpan.FromMinutes(10)).Token);
}
catch (OperationCanceledException)
{
    ChaosApp.Say("START-FAILED the replica was not ready within 10 minutes");
    return 3;
}

ChaosApp.Say($"STARTED {Environment.ProcessId} with {cache.Count} entries");
Task writing = Task.CompletedTask;
if (ChaosApp.Setting(configuration, "role") == "writer")
{
    var plan = new CachePlan(
        long.Parse(ChaosApp.Setting(configuration, "seed"), CultureInfo.InvariantCulture),
        int.Parse(ChaosApp.Setting(configuration, "keys"), CultureInfo.InvariantCulture),
        int.Parse(ChaosApp.Setting(configuration, "ops"), CultureInfo.InvariantCulture),
        int.Parse(ChaosApp.Setting(configuration, "writers"), CultureInfo.InvariantCulture));
    var writer = new PlanWriter(cache, plan, int.Parse(ChaosApp.Setting(configuration, "writer"), CultureInfo.InvariantCulture), ChaosApp.Setting(configuration, "progress"), log);
    writing = writer.RunAsync(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(ChaosApp.Setting(configuration, "until"), CultureInfo.InvariantCulture)), stop.Token);
}

await ChaosApp.CommandLoopAsync(async line =>
{
    if (line.StartsWith("dump ", StringComparison.Ordinal))
    {
        var entries = cache.Select(e => (Key: CachePlan.KeyIndex(e.Key), e.Value)).OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value.Op} {e.Value.Writer}").ToList();
        await File.WriteAllLinesAsync(line[5..], entries);
        ChaosApp.Say($"DUMPED {entries.Count}");
    }
});
await stop.CancelAsync();
try
{
    await writing;
}
catch (OperationCanceledException)
{
}

await host.StopAsync();
ChaosApp.Say("STOPPED");
return 0;
