using System.Globalization;
using Confluent.Kafka;
using KafkaTyped.Hosting;
using Microsoft.Extensions.DependencyInjection;
using KafkaTyped.Framing;

namespace KafkaTyped.Chaos;

/// <summary>
/// The producer process: sends <c>messages</c> ticks through the generated <see cref="IChaosTicksProducer"/>, keys
/// round-robin (message i has key i mod keys and that key's sequence i div keys), paced over <c>seconds</c>; marks the
/// seeded handler failures; sends poison records now and then through a plain byte producer. Commands:
/// <c>poison Kind</c> (one more poison record), <c>tail</c> (one more tick per key, never failing: the liveness
/// probe; answered once delivered), <c>quit</c> (wait for every delivery report, write them all to <c>deliveries</c>, one line per record
/// <c>key seq partition offset</c>, key -kind for poison, and stop).
/// </summary>
internal static class ProducerRole
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = ChaosApp.CreateBuilder(args);
        var configuration = builder.Configuration;
        var messages = int.Parse(ChaosApp.Setting(configuration, "messages"), CultureInfo.InvariantCulture);
        var keys = int.Parse(ChaosApp.Setting(configuration, "keys"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(ChaosApp.Setting(configuration, "seconds"), CultureInfo.InvariantCulture);
        var poisonEvery = int.Parse(ChaosApp.Setting(configuration, "poison-every"), CultureInfo.InvariantCulture);
        var plan = new TickPlan(long.Parse(ChaosApp.Setting(configuration, "seed"), CultureInfo.InvariantCulture), int.Parse(ChaosApp.Setting(configuration, "fail-per-mille"), CultureInfo.InvariantCulture));
        var output = ChaosApp.Setting(configuration, "deliveries");
        builder.Services.AddChaosProducer(configuration);
        using var host = builder.Build();
        if (!await ChaosApp.TryStartAsync(host))
        {
            return 3;
        }

        var ticks = host.Services.GetRequiredService<IChaosTicksProducer>();
        var codec = host.Services.GetRequiredService<IPayloadCodec>();
        await codec.PrepareAsync(ChaosTicksSet.Instance);
        var header = new byte[codec.GetHeaderLength(ChaosTicksSet.Instance, ChaosTicksSet.TickIndex)];
        codec.WriteHeader(ChaosTicksSet.Instance, ChaosTicksSet.TickIndex, header);
        var schemaId = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        using var raw = new ProducerBuilder<byte[], byte[]?>(host.Services.GetRequiredService<KafkaCluster>().CreateProducerConfig()).Build();

        var perKey = messages / keys;
        var total = messages + keys; // room for the tail
        var partitions = new int[total];
        var offsets = new long[total];
        Array.Fill(offsets, -1L);
        var poison = new List<(PoisonKind Kind, int Partition, long Offset)>();
        var failures = 0;
        var pending = 0L;
        var poisonSent = 0;
        var sendGate = new SemaphoreSlim(1, 1);

        async Task SendTickAsync(int index, int keyId, int seq, bool fail)
        {
            var tick = new Tick("k" + keyId.ToString(CultureInfo.InvariantCulture), keyId, seq, fail);
            Interlocked.Increment(ref pending);
            while (true)
            {
                try
                {
                    ticks.Produce(tick, report =>
                    {
                        if (report.Error.IsError)
                        {
                            Interlocked.Increment(ref failures);
                            ChaosApp.Say($"DELIVERY-FAILED k{keyId}#{seq}: {report.Error.Reason}");
                        }
                        else
                        {
                            partitions[index] = report.Partition.Value;
                            offsets[index] = report.Offset.Value;
                        }

                        Interlocked.Decrement(ref pending);
                    });
                    return;
                }
                catch (ProduceException<string, Tick> error) when (error.Error.Code == ErrorCode.Local_QueueFull)
                {
                    await Task.Delay(50); // a long broker outage filled librdkafka's queue: wait for room, in order
                }
            }
        }

        void SendPoison(PoisonKind kind)
        {
            var number = Interlocked.Increment(ref poisonSent);
            Interlocked.Increment(ref pending);
            var key = System.Text.Encoding.UTF8.GetBytes($"poison-{number}");
            raw.Produce(ChaosTopics.Ticks, new Message<byte[], byte[]?> { Key = key, Value = Poison.Value(kind, schemaId) }, report =>
            {
                lock (poison)
                {
                    if (report.Error.IsError)
                    {
                        failures++;
                        ChaosApp.Say($"DELIVERY-FAILED poison {kind}: {report.Error.Reason}");
                    }
                    else
                    {
                        poison.Add((kind, report.Partition.Value, report.Offset.Value));
                    }
                }

                Interlocked.Decrement(ref pending);
            });
        }

        async Task WaitForDeliveriesAsync()
        {
            while (Interlocked.Read(ref pending) > 0)
            {
                ticks.Flush(TimeSpan.FromMilliseconds(50));
                raw.Flush(TimeSpan.FromMilliseconds(50));
                await Task.Yield();
            }
        }

        var producing = Task.Run(async () =>
        {
            ChaosApp.Say($"PRODUCING {messages} messages over {keys} keys in {seconds:0} s");
            var started = System.Diagnostics.Stopwatch.StartNew();
            var lastReport = 0L;
            for (var i = 0; i < messages; i++)
            {
                var wait = seconds * i / messages - started.Elapsed.TotalSeconds;
                if (wait > 0.002)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait));
                }

                await sendGate.WaitAsync();
                try
                {
                    await SendTickAsync(i, i % keys, i / keys, plan.Fails(i % keys, i / keys));
                    if (poisonEvery > 0 && i % poisonEvery == poisonEvery / 2)
                    {
                        SendPoison((PoisonKind)(1 + (i / poisonEvery % Poison.KindCount)));
                    }
                }
                finally
                {
                    sendGate.Release();
                }

                if (started.ElapsedMilliseconds - lastReport >= 5000)
                {
                    lastReport = started.ElapsedMilliseconds;
                    ChaosApp.Say($"SENT {i + 1}");
                }
            }

            await WaitForDeliveriesAsync();
            ChaosApp.Say($"DONE {messages} in {started.Elapsed.TotalSeconds:0.0} s");
        });

        await ChaosApp.CommandLoopAsync(async line =>
        {
            await sendGate.WaitAsync();
            try
            {
                if (line.StartsWith("poison ", StringComparison.Ordinal))
                {
                    SendPoison(Enum.Parse<PoisonKind>(line[7..]));
                }
                else if (line == "tail")
                {
                    for (var key = 0; key < keys; key++)
                    {
                        await SendTickAsync(messages + key, key, perKey, fail: false);
                    }

                    await WaitForDeliveriesAsync(); // in the topic (in the high watermarks) before the runner is told
                }
            }
            finally
            {
                sendGate.Release();
            }

            ChaosApp.Say("OK " + line);
        });

        await producing;
        await WaitForDeliveriesAsync();
        var lines = new List<string>(total + poison.Count);
        for (var i = 0; i < total; i++)
        {
            if (offsets[i] >= 0)
            {
                var key = i < messages ? i % keys : i - messages;
                var seq = i < messages ? i / keys : perKey;
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{key} {seq} {partitions[i]} {offsets[i]}"));
            }
        }

        lock (poison)
        {
            lines.AddRange(poison.Select(p => string.Create(CultureInfo.InvariantCulture, $"{-(int)p.Kind} 0 {p.Partition} {p.Offset}")));
        }

        await File.WriteAllLinesAsync(output + ".tmp", lines);
        File.Move(output + ".tmp", output, overwrite: true);
        ChaosApp.Say($"STOPPED {lines.Count} records, {failures} failed deliveries");
        return failures == 0 ? 0 : 4;
    }
}
