using System.Globalization;
using KafkaTyped.Chaos;

namespace KafkaTyped.Chaos.Cache;

/// <summary>Runs one writer's share of a <see cref="CachePlan"/> against the replicated cache.</summary>
internal sealed class PlanWriter(ChaosCache cache, CachePlan plan, int writer, string progressFile, RecordLog log)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);

    /// <summary>Runs the remaining rounds, spread evenly until <paramref name="until"/> (the same moment for every run of the writer).</summary>
    public async Task RunAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var keys = Enumerable.Range(0, plan.Keys).Where(k => plan.WriterOf(k) == writer).ToArray();
        var round = File.Exists(progressFile) ? int.Parse(await File.ReadAllTextAsync(progressFile, cancellationToken), CultureInfo.InvariantCulture) : 0;
        ChaosApp.Say($"WRITING from round {round} of {plan.Ops}, {keys.Length} keys");
        var started = DateTimeOffset.UtcNow;
        var duration = until > started ? until - started : TimeSpan.Zero;
        var firstRound = round;
        for (; round < plan.Ops; round++)
        {
            // Rounds are spread over the run, so that kills land in the middle of the writing.
            var due = started + (duration * ((double)(round - firstRound) / Math.Max(1, plan.Ops - firstRound)));
            if (due > DateTimeOffset.UtcNow)
            {
                await Task.Delay(due - DateTimeOffset.UtcNow, cancellationToken);
            }

            var op = round;
            await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, (key, token) => WriteAsync(key, op, token));

            // The round is done: a restart begins with the next one (replaying a round would only repeat its records).
            var temporary = progressFile + ".tmp";
            await File.WriteAllTextAsync(temporary, (round + 1).ToString(CultureInfo.InvariantCulture), cancellationToken);
            File.Move(temporary, progressFile, overwrite: true);
        }

        ChaosApp.Say("WRITER-DONE");
    }

    private async ValueTask WriteAsync(int key, int op, CancellationToken cancellationToken)
    {
        var name = CachePlan.KeyName(key);
        var deadline = DateTime.UtcNow + GiveUpAfter;
        while (true)
        {
            try
            {
                if (plan.Deletes(key, op))
                {
                    await cache.DeleteAsync(name, cancellationToken);
                    log.Append(LogRecord.Create(RecordKind.WriterDeleted, key, op, -1, -1));
                }
                else
                {
                    await cache.SetAsync(name, new CacheEntry(op, writer), cancellationToken);
                    log.Append(LogRecord.Create(RecordKind.WriterSet, key, op, -1, -1));
                }

                return;
            }
            catch (Exception error) when (error is not OperationCanceledException && DateTime.UtcNow < deadline)
            {
                // A broker outage can fail or time out a write; the same operation again writes the same record.
                ChaosApp.Say($"WRITE-RETRY {name} op {op}: {error.GetType().Name}");
                await Task.Delay(500, cancellationToken);
            }
        }
    }
}
