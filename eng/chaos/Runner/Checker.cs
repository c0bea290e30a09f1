using System.Globalization;
using System.Text;
using KafkaTyped.Embedded;

namespace KafkaTyped.Chaos;

/// <summary>
/// Checks the invariants over everything the processes recorded, prints the summary table and the verdict. Every
/// check is an invariant (nothing lost, order, committed, exact dead letters, convergence), never a timing; the one
/// deadline, the liveness probe, is a bound the embedded tuning meets with room and the default settings cannot.
/// </summary>
internal sealed class Checker(ChaosOptions options, string records, string logs)
{
    private readonly List<string> failures = [];
    private readonly List<(string What, string Value)> table = [];

    public bool Check(RunFacts facts)
    {
        var ticks = CheckTicks(facts);
        CheckCache(facts);

        foreach (var finding in facts.Findings)
        {
            Fail(finding);
        }

        table.Add(("faults injected", string.Join(", ", facts.Faults.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}")) + $" ({facts.Faults.Values.Sum()} in all)"));
        table.Add(("restarts refused while the registry was away (then retried)", facts.ToleratedStartFailures.ToString(CultureInfo.InvariantCulture)));
        table.Add(("cache starts refused while a broker was down (known bug, CacheBrokerOutageTests; then retried)", facts.CacheStartsRefusedByBrokerOutage.ToString(CultureInfo.InvariantCulture)));
        table.Add(("liveness probe (kill -9 a member, one tick per key)", facts.LivenessProbe is { } probe ? $"handled and committed in {probe.TotalSeconds:0.0} s ({(options.TimeBounds ? $"bound {Scenario.LivenessBound.TotalSeconds:0} s" : "not bounded: --no-time-bounds")})" : "FAILED"));
        table.Add(("time", $"{facts.Elapsed.TotalMinutes:0.0} min"));

        var output = new StringBuilder();
        output.AppendLine();
        output.AppendLine($"| chaos run, seed {options.Seed} | |");
        output.AppendLine("|---|---|");
        foreach (var (what, value) in table)
        {
            output.AppendLine($"| {what} | {value} |");
        }

        ChaosApp.Say(output.ToString());
        _ = ticks;
        if (failures.Count == 0)
        {
            ChaosApp.Say("RESULT PASS");
            return true;
        }

        foreach (var failure in failures.Take(40))
        {
            ChaosApp.Say("  violated: " + failure);
        }

        ChaosApp.Say($"RESULT FAIL: {failures.Count} violations (details above; logs in {logs})");
        return false;
    }

    private void Fail(string what) => failures.Add(what);

    private bool CheckTicks(RunFacts facts)
    {
        var plan = new TickPlan(options.Seed, options.FailPerMille);
        var perKey = options.Messages / options.Keys;
        var seqCount = perKey + 1; // the liveness probe's tail is one more per key
        var slots = options.Keys * seqCount;
        int Index(int key, int seq) => key * seqCount + seq;

        // What the producer's delivery reports say is in the topic.
        var partitionOf = new int[slots];
        var offsetOf = new long[slots];
        Array.Fill(offsetOf, -1L);
        var location = new Dictionary<(int, long), int>();
        var poison = new Dictionary<(int, long), int>();
        foreach (var line in File.ReadLines(Path.Combine(records, "deliveries.txt")))
        {
            var parts = line.Split(' ');
            var key = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var seq = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var partition = int.Parse(parts[2], CultureInfo.InvariantCulture);
            var offset = long.Parse(parts[3], CultureInfo.InvariantCulture);
            if (key < 0)
            {
                poison[(partition, offset)] = -key;
                continue;
            }

            var index = Index(key, seq);
            partitionOf[index] = partition;
            offsetOf[index] = offset;
            location[(partition, offset)] = index;
        }

        var produced = offsetOf.Count(o => o >= 0);
        if (produced != slots)
        {
            Fail($"the producer got delivery reports for {produced} of {slots} ticks");
        }

        // What the members handled, run by run.
        var handled = new int[slots];
        var firstAttempt = new long[slots];
        Array.Fill(firstAttempt, long.MaxValue);
        var lastHandledSegment = new long[slots];
        long handlerCalls = 0, failedAttempts = 0, orderViolations = 0, unexplained = 0, mismatched = 0, unassigned = 0, assignments = 0, revokes = 0, losses = 0;
        var segmentCounter = 0L;
        var examples = new List<string>();
        void Example(string text)
        {
            if (examples.Count < 10)
            {
                examples.Add(text);
            }
        }

        var runIndex = 0;
        var settingsChecked = 0;
        var sessionTimeout = "session.timeout.ms=" + EmbeddedClientTuning.ConsumerSettings["session.timeout.ms"];
        var runs = new List<(RunInfo Run, List<LogRecord> Records)>();
        foreach (var run in facts.ConsumerRuns)
        {
            CheckJoiner(run, sessionTimeout, ref settingsChecked);
            if (File.Exists(run.RecordFile))
            {
                runs.Add((run, RecordLog.ReadAll(run.RecordFile)));
            }
        }

        // A produce request retried after a broker dropped the connection can be appended twice (seen on the embedded
        // cluster after a broker went down mid-request): the log then holds an unacknowledged copy of the record just
        // before the acknowledged one, in the same partition. A copy is counted, and its handling kept out of the
        // order and duplicate checks (it is another record as far as the group is concerned).
        var copies = new Dictionary<(int, long), int>();
        bool IsCopy(LogRecord record, int index) =>
            partitionOf[index] == record.Partition && offsetOf[index] >= 0 && record.Offset < offsetOf[index] && !location.ContainsKey((record.Partition, record.Offset));

        // When each record was first handled, by the machine's one monotonic clock: a later call is a duplicate.
        var firstHandled = new long[slots];
        Array.Fill(firstHandled, long.MaxValue);
        foreach (var (_, log) in runs)
        {
            foreach (var record in log)
            {
                if (record.Kind == RecordKind.Handled && record.Key >= 0 && record.Key < options.Keys && record.Seq >= 0 && record.Seq < seqCount)
                {
                    var index = Index(record.Key, record.Seq);
                    if (!IsCopy(record, index))
                    {
                        firstHandled[index] = Math.Min(firstHandled[index], record.Timestamp);
                    }
                }
            }
        }

        long rereads = 0, longestReread = 0, copyCalls = 0;
        foreach (var (run, log) in runs)
        {
            runIndex++;
            var segment = new long[ChaosTopics.TickPartitions];
            Array.Fill(segment, -runIndex); // records before any assignment would share no segment with anything
            var last = new Dictionary<int, (int Seq, long Segment, int Attempt)>();
            var movedOn = new Dictionary<int, long>();
            var reread = new Dictionary<int, (long Segment, int Length)>();
            foreach (var record in log)
            {
                switch (record.Kind)
                {
                    case RecordKind.Assigned:
                        segment[record.Partition] = ++segmentCounter;
                        assignments++;
                        continue;
                    case RecordKind.Revoked:
                        revokes++;
                        continue;
                    case RecordKind.Lost:
                        losses++;
                        continue;
                    case RecordKind.Handled:
                    case RecordKind.FailedAttempt:
                        break;
                    default:
                        continue;
                }

                if (record.Key < 0 || record.Key >= options.Keys || record.Seq < 0 || record.Seq >= seqCount)
                {
                    mismatched++;
                    Example($"{run.Name} handled an unknown tick k{record.Key}#{record.Seq}");
                    continue;
                }

                var index = Index(record.Key, record.Seq);
                if (IsCopy(record, index))
                {
                    copies[(record.Partition, record.Offset)] = index;
                    copyCalls++;
                    continue;
                }

                if (partitionOf[index] != record.Partition || offsetOf[index] != record.Offset)
                {
                    mismatched++;
                    Example($"{run.Name} handled k{record.Key}#{record.Seq} at {record.Partition}@{record.Offset}, produced at {partitionOf[index]}@{offsetOf[index]}");
                }

                var current = segment[record.Partition];
                if (current < 0)
                {
                    unassigned++;
                }

                // Per-key order inside one assignment of one member: the next record of a key is the next sequence
                // number, or another attempt of the same one. A key may go back (or jump) only where the member was
                // assigned its partition again: after a revoke, a loss or a restart, reading resumes at the last commit.
                if (last.TryGetValue(record.Key, out var previous) && previous.Segment == current)
                {
                    var next = record.Seq == previous.Seq + 1 || (record.Seq == previous.Seq && record.Attempt > previous.Attempt);
                    if (!next)
                    {
                        orderViolations++;
                        Example($"{run.Name}: k{record.Key}#{record.Seq} (attempt {record.Attempt}) right after #{previous.Seq} (attempt {previous.Attempt}) within one assignment of partition {record.Partition}");
                    }
                }

                last[record.Key] = (record.Seq, current, record.Attempt);
                firstAttempt[index] = Math.Min(firstAttempt[index], record.Timestamp);
                if (record.Kind == RecordKind.FailedAttempt)
                {
                    failedAttempts++;
                    continue;
                }

                handlerCalls++;
                handled[index]++;
                if (record.Seq < perKey && plan.Fails(record.Key, record.Seq))
                {
                    Fail($"k{record.Key}#{record.Seq} is one the handler always fails, yet it was handled");
                }

                // Duplicates are what a member re-reads from the last commit when it gets a partition: within one
                // assignment, a key's duplicates come first, then only records handled for the first time. A record
                // handled twice inside one assignment, or again after the member had moved past it, is unexplained.
                if (record.Timestamp > firstHandled[index])
                {
                    if (lastHandledSegment[index] == current || movedOn.GetValueOrDefault(record.Key, long.MinValue) == current)
                    {
                        unexplained++;
                        Example($"{run.Name}: k{record.Key}#{record.Seq} handled again within one assignment, after {(lastHandledSegment[index] == current ? "handling it" : "moving past it")}");
                    }

                    var length = reread.TryGetValue(record.Key, out var open) && open.Segment == current ? open.Length + 1 : 1;
                    rereads += length == 1 ? 1 : 0;
                    longestReread = Math.Max(longestReread, length);
                    reread[record.Key] = (current, length);
                }
                else
                {
                    movedOn[record.Key] = current;
                }

                lastHandledSegment[index] = current;
            }
        }

        // Dead letters: exactly the poison and the ticks the handler fails on, each at least once.
        var deadLettered = new int[slots];
        var poisonSeen = new HashSet<(int, long)>();
        long unexpectedDeadLetters = 0;
        foreach (var letter in facts.Topics.DeadLetters)
        {
            if (poison.ContainsKey((letter.Partition, letter.Offset)))
            {
                poisonSeen.Add((letter.Partition, letter.Offset));
            }
            else if ((location.TryGetValue((letter.Partition, letter.Offset), out var index) || copies.TryGetValue((letter.Partition, letter.Offset), out index))
                && index % seqCount < perKey && plan.Fails(index / seqCount, index % seqCount))
            {
                deadLettered[index]++;
            }
            else
            {
                unexpectedDeadLetters++;
                Example($"unexpected dead letter of {letter.Partition}@{letter.Offset} ({letter.ErrorType})");
            }
        }

        long lost = 0, duplicates = 0, duplicatedRecords = 0, expectedFailures = 0, outOfOrder = 0;
        for (var key = 0; key < options.Keys; key++)
        {
            for (var seq = 0; seq < seqCount; seq++)
            {
                var index = Index(key, seq);
                if (offsetOf[index] < 0)
                {
                    continue;
                }

                var fails = seq < perKey && plan.Fails(key, seq);
                if (fails)
                {
                    expectedFailures++;
                }

                if (fails ? deadLettered[index] == 0 : handled[index] == 0)
                {
                    lost++;
                    Example($"lost: k{key}#{seq} at {partitionOf[index]}@{offsetOf[index]} was {(fails ? "never dead-lettered" : "never handled")}");
                }

                if (handled[index] > 1)
                {
                    duplicates += handled[index] - 1;
                    duplicatedRecords++;
                }

                // Across all members, by the machine's one monotonic clock: no record is first tried before its
                // key's previous record was first tried.
                if (seq > 0 && firstAttempt[index] != long.MaxValue && firstAttempt[index - 1] != long.MaxValue && firstAttempt[index] < firstAttempt[index - 1])
                {
                    outOfOrder++;
                    Example($"k{key}#{seq} was first handled before k{key}#{seq - 1}");
                }
            }
        }

        var missingPoison = poison.Keys.Count(p => !poisonSeen.Contains(p));
        lost += missingPoison;
        if (missingPoison > 0)
        {
            Example($"{missingPoison} poison records were never dead-lettered");
        }

        var deadLetterTotal = facts.Topics.DeadLetters.Count;
        var deadLetterDistinct = deadLettered.Count(d => d > 0) + poisonSeen.Count;

        foreach (var example in examples)
        {
            ChaosApp.Say("  example: " + example);
        }

        Require(lost == 0, $"{lost} records lost");
        Require(orderViolations == 0, $"{orderViolations} per-key order violations within an assignment");
        Require(outOfOrder == 0, $"{outOfOrder} records handled before their key's previous record");
        Require(unexplained == 0, $"{unexplained} duplicates no re-read from the last commit explains (handled again within one assignment of one member)");
        Require(mismatched == 0, $"{mismatched} handled records do not match what was produced");
        Require(unassigned == 0, $"{unassigned} records handled before their partition's assignment was logged");
        Require(unexpectedDeadLetters == 0, $"{unexpectedDeadLetters} dead letters of records that were not poison");
        Require(settingsChecked > 0, "no consumer run logged its settings");

        var lagging = facts.CommittedAtEnd.Where(c => c.Committed != c.High).ToList();
        Require(lagging.Count == 0, $"not committed at the end: {string.Join(", ", lagging.Select(c => $"p{c.Partition} {c.Committed}/{c.High}"))}");
        var dropped = facts.Topics.LowWatermarks.Where(l => l.Value != 0).ToList();
        Require(dropped.Count == 0, $"retention dropped records (low watermark above 0): {string.Join(", ", dropped.Take(5).Select(d => $"{d.Key}={d.Value}"))}");

        var kills = facts.Faults.Where(f => f.Key.StartsWith("Kill", StringComparison.Ordinal) && f.Key != "KillWriter" && f.Key != "KillReplica").Sum(f => f.Key == "KillTwoMembers" ? 2 * f.Value : f.Value)
            + facts.Faults.GetValueOrDefault("RegistryOutage") + 1; // each registry outage kills a member; +1 the probe
        table.Add(("ticks produced (keys x per-key sequence, + 1 tail tick per key)", $"{produced:N0} ({options.Keys} keys x {perKey} + {options.Keys})"));
        table.Add(("poison records (7 kinds)", poison.Count.ToString(CultureInfo.InvariantCulture)));
        table.Add(("consumer member runs (processes)", $"{facts.ConsumerRuns.Count} ({settingsChecked} logged session.timeout.ms {EmbeddedClientTuning.ConsumerSettings["session.timeout.ms"]} as joiners)"));
        table.Add(("handler calls: handled / failed on purpose", $"{handlerCalls:N0} / {failedAttempts:N0}"));
        table.Add(("**lost**", $"**{lost}**"));
        table.Add(("records in the log twice (an unacknowledged copy from a retried produce request): copies / handler calls on them", $"{copies.Count} / {copyCalls}"));
        table.Add(($"duplicates (handled again after kill -9 x{kills}, rebalances, losses)", $"{duplicates:N0} extra calls on {duplicatedRecords:N0} records ({100.0 * duplicates / Math.Max(1, produced):0.00} %), in {rereads:N0} re-reads of a key from its last commit (longest {longestReread}); unexplained: {unexplained}"));
        table.Add(("dead letters: expected (failing ticks + poison) / distinct found / unexpected / written twice", $"{expectedFailures + poison.Count} / {deadLetterDistinct} / {unexpectedDeadLetters} / {deadLetterTotal - deadLetterDistinct}"));
        table.Add(("per-key order violations (within an assignment / across members)", $"{orderViolations} / {outOfOrder}"));
        table.Add(("assignments / revocations / losses of partitions (session expired) seen by members", $"{assignments} / {revokes} / {losses}"));
        table.Add(("committed at the end", $"{facts.CommittedAtEnd.Count(c => c.Committed == c.High)}/{facts.CommittedAtEnd.Count} partitions at the high watermark"));
        table.Add(("low watermarks (retention)", dropped.Count == 0 ? "all 0" : $"{dropped.Count} above 0"));
        return failures.Count == 0;
    }

    /// <summary>
    /// Every member joins with only the bootstrap list: it must find the embedded cluster's tuning by itself (event
    /// 1004, and the short session timeout in its settings), and once started it must get partitions within
    /// <see cref="Scenario.JoinBound"/>.
    /// </summary>
    private void CheckJoiner(RunInfo run, string sessionTimeout, ref int settingsChecked)
    {
        var lines = run.Process.Lines;
        var settings = lines.FirstOrDefault(l => l.StartsWith("SETTINGS ", StringComparison.Ordinal));
        if (settings is null)
        {
            return; // killed (or refused by the registry) before its consumer started
        }

        settingsChecked++;
        Require(lines.Any(l => l.StartsWith("JOINED ", StringComparison.Ordinal)), $"{run.Name} did not recognise the embedded cluster it joined");
        Require(settings.Contains(sessionTimeout, StringComparison.Ordinal), $"{run.Name} started without the embedded tuning ({sessionTimeout} missing): {settings}");
        var process = run.Process;
        if (options.TimeBounds && process.StartedLineAt is { } started)
        {
            var end = process.EndedAt ?? TimeSpan.MaxValue;
            var assignedBy = process.FirstAssignedAt ?? end;
            Require(assignedBy == end || assignedBy - started <= Scenario.JoinBound,
                $"{run.Name} got no partitions within {Scenario.JoinBound.TotalSeconds:0} s of starting");
        }
    }

    private void CheckCache(RunFacts facts)
    {
        var plan = new CachePlan(options.Seed, options.CacheKeys, options.CacheOps, options.Writers);
        long orderViolations = 0, acked = 0, missing = 0, applied = 0;
        var finalReplay = new HashSet<(int, int)>();
        var ackedSets = new List<(int Key, int Op, string Run)>();
        foreach (var run in facts.CacheRuns)
        {
            if (!File.Exists(run.RecordFile))
            {
                continue;
            }

            var lastOp = new Dictionary<int, int>();
            var isFinal = run.Name == facts.FinalReplica;
            foreach (var record in RecordLog.ReadAll(run.RecordFile))
            {
                switch (record.Kind)
                {
                    case RecordKind.CacheSet:
                        applied++;
                        if (lastOp.TryGetValue(record.Key, out var previous) && record.Seq < previous)
                        {
                            orderViolations++;
                            ChaosApp.Say($"  example: {run.Name} applied c{record.Key} op {record.Seq} after op {previous}");
                        }

                        lastOp[record.Key] = record.Seq;
                        if (isFinal)
                        {
                            finalReplay.Add((record.Key, record.Seq));
                        }

                        break;
                    case RecordKind.WriterSet:
                        acked++;
                        ackedSets.Add((record.Key, record.Seq, run.Name));
                        break;
                    case RecordKind.WriterDeleted:
                        acked++;
                        break;
                }
            }
        }

        // Read-your-writes means an acknowledged Set is in the topic: the final replica, replaying the whole topic, saw it.
        foreach (var (key, op, run) in ackedSets)
        {
            if (!finalReplay.Contains((key, op)))
            {
                missing++;
                if (missing <= 5)
                {
                    ChaosApp.Say($"  example: {run} acknowledged c{key} op {op}, which is not in the topic");
                }
            }
        }

        var mismatchedReplicas = 0;
        foreach (var (name, file) in facts.CacheDumps)
        {
            var state = File.ReadAllLines(file).Select(l => l.Split(' ')).ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => (Op: int.Parse(p[1], CultureInfo.InvariantCulture), Writer: int.Parse(p[2], CultureInfo.InvariantCulture)));
            var differences = new List<string>();
            for (var key = 0; key < plan.Keys; key++)
            {
                var expected = plan.Final(key);
                var found = state.TryGetValue(key, out var actual);
                if (expected is null ? found : !found || actual.Op != expected.Op || actual.Writer != expected.Writer)
                {
                    differences.Add($"c{key}: {(found ? $"op {actual.Op}" : "absent")}, expected {(expected is null ? "absent" : $"op {expected.Op}")}");
                }
            }

            if (state.Keys.Any(k => k < 0 || k >= plan.Keys))
            {
                differences.Add("keys outside the plan");
            }

            if (differences.Count > 0)
            {
                mismatchedReplicas++;
                Fail($"cache instance {name} differs from the reference model in {differences.Count} keys: {string.Join("; ", differences.Take(5))}");
            }
        }

        Require(facts.CacheDumps.Count >= options.Writers + options.Replicas + 1, $"only {facts.CacheDumps.Count} cache instances could be compared");
        Require(orderViolations == 0, $"{orderViolations} cache changes applied out of order");
        Require(missing == 0, $"{missing} acknowledged cache writes are not in the topic");
        var cacheKills = facts.Faults.GetValueOrDefault("KillWriter") + facts.Faults.GetValueOrDefault("KillReplica") + facts.Faults.GetValueOrDefault("RegistryOutage");
        table.Add(("cache: writes acknowledged / changes applied by all replicas", $"{acked:N0} / {applied:N0}"));
        table.Add(($"cache: instances compared with the reference model (after kill -9 x{cacheKills})", $"{facts.CacheDumps.Count}, {mismatchedReplicas} differ; acknowledged writes missing from the topic: {missing}; out-of-order changes: {orderViolations}"));
    }

    private void Require(bool condition, string violation)
    {
        if (!condition)
        {
            Fail(violation);
        }
    }
}
