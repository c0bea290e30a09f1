using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.IntegrationTests.Consuming;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.IntegrationTests.Batching;

/// <summary>
/// <see cref="IHandleBatch{TMessage}"/> end to end on the embedded cluster, through the generated dispatchers and
/// producers: bounds, commits after the batch, per-key order, poison records split out or whole batches dead-lettered,
/// and batches in flight across a rebalance and a shutdown. Invariants only: nothing lost, nothing handled twice where
/// nothing failed, order kept, everything committed.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class BatchHandlerTests(EmbeddedClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Batches_are_bounded_by_count_hold_one_partitions_consecutive_records_and_keep_key_order_around_single_members()
    {
        Provision(FlowBatchesDispatcherTopic, 3);
        var run = Guid.NewGuid().ToString("N");
        var probe = new BatchProbe("app");
        using var host = await StartAsync(probe, Flow, options =>
        {
            options.Batch.MaxMessages = 10;
            options.Batch.MaxWait = TimeSpan.FromMilliseconds(500);
        });
        var producer = host.Services.GetRequiredService<IBatchFlowProducer>();

        // Ten keys, thirty records each; every seventh one is a FlowMark handled singly between batches.
        const int keys = 10, perKey = 30;
        var sends = new List<Task>();
        for (var seq = 0; seq < perKey; seq++)
        {
            for (var k = 0; k < keys; k++)
            {
                sends.Add(seq % 7 == 3
                    ? producer.ProduceAsync(new FlowMark($"k{k}-{run}", seq, run)).AsTask()
                    : producer.ProduceAsync(new FlowStep($"k{k}-{run}", seq, run)).AsTask());
            }
        }

        await Task.WhenAll(sends);
        var handled = await WaitForAsync(() => probe.Handled.Where(h => h.Item.Run == run).ToList(), keys * perKey);

        // Each record exactly once (nothing failed), and per key in production order across batches and single records.
        Assert.Equal(keys * perKey, handled.Count);
        foreach (var key in handled.GroupBy(h => h.Item.Key))
        {
            Assert.Equal(Enumerable.Range(0, perKey), key.Select(h => h.Item.Seq));
        }

        var batches = probe.Calls.Where(c => c.Items.Any(i => i.Run == run) && !c.Items[0].Single).ToList();
        Assert.All(batches, b =>
        {
            Assert.InRange(b.Items.Length, 1, 10);
            Assert.All(b.Items, i => Assert.False(i.Single));

            // One partition's consecutive records: offsets strictly increasing, with a gap only where a FlowMark (handled
            // singly) or another run's record sits between them.
            Assert.Equal(b.Items.Select(i => i.Offset).Order(), b.Items.Select(i => i.Offset));
            Assert.Equal(b.Items.Length, b.Items.Select(i => i.Offset).Distinct().Count());
        });
        Assert.Contains(batches, b => b.Items.Length > 1);

        // Everything committed once handled.
        await WaitForCommitsAsync(Flow.GroupId, FlowBatchesDispatcherTopic, 3);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_batch_below_its_count_bound_is_handed_over_when_its_wait_ends_and_its_offsets_are_committed_only_after_it_completed()
    {
        Provision(SplitTopic, 1);
        var run = Guid.NewGuid().ToString("N");
        var probe = new BatchProbe("app");
        var entered = new TaskCompletionSource<BatchCall>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Hook = async (call, cancellationToken) =>
        {
            if (call.Items.Any(i => i.Run == run && i.Seq == 3))
            {
                entered.TrySetResult(call);
                await release.Task.WaitAsync(cancellationToken);
            }
        };

        // The count bound (1000) is never reached: only the wait hands the few records over.
        using var host = await StartAsync(probe, Split, options =>
        {
            options.Batch.MaxMessages = 1000;
            options.Batch.MaxWait = TimeSpan.FromMilliseconds(300);
        });
        var producer = host.Services.GetRequiredService<IBatchSplitProducer>();
        for (var seq = 0; seq < 3; seq++)
        {
            await producer.ProduceAsync(new SplitItem("one-key", seq, run, false));
        }

        await WaitForAsync(() => probe.Handled.Where(h => h.Item.Run == run).ToList(), 3);
        await producer.ProduceAsync(new SplitItem("one-key", 3, run, false));
        await producer.ProduceAsync(new SplitItem("one-key", 4, run, false));
        var blocked = await entered.Task.WaitAsync(Patience);

        // While the batch holding seq 3 runs, the commit reaches its first offset and never passes it.
        var first = blocked.Items[0].Offset;
        var deadline = DateTime.UtcNow + Patience;
        long committed;
        while ((committed = RawKafka.Committed(fixture, Split.GroupId, SplitTopic, 1)[0]) < first && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(first, committed);
        await Task.Delay(1000); // several commit intervals pass while the batch still runs
        Assert.Equal(first, RawKafka.Committed(fixture, Split.GroupId, SplitTopic, 1)[0]);
        Assert.False(blocked.Completed);

        release.SetResult();
        var handled = await WaitForAsync(() => probe.Handled.Where(h => h.Item.Run == run).ToList(), 5);
        Assert.Equal(Enumerable.Range(0, 5), handled.Select(h => h.Item.Seq));
        Assert.All(probe.Calls.Where(c => c.Items.Any(i => i.Run == run)), c => Assert.InRange(c.Items.Length, 1, 5));
        await WaitForCommitsAsync(Split.GroupId, SplitTopic, 1);
        await host.StopAsync();
    }

    [Fact]
    public async Task Splitting_dead_letters_exactly_the_poison_records_and_handles_every_other_record_once_in_order()
    {
        Provision(SplitTopic, 1);
        var run = Guid.NewGuid().ToString("N");
        const int total = 40;
        int[] poison = [13, 29];
        var start = await ProduceFirstAsync<IBatchSplitProducer>(async producer =>
        {
            for (var seq = 0; seq < total; seq++)
            {
                await producer.ProduceAsync(new SplitItem("one-key", seq, run, poison.Contains(seq)));
            }
        }, SplitTopic);

        var probe = new BatchProbe("app");
        using var host = await StartAsync(probe, Split, options =>
        {
            options.Batch.MaxMessages = 16;
            options.Batch.OnFailure = BatchFailureMode.Split;
            options.Retry.MaxAttempts = 2;
        });

        var handled = await WaitForAsync(() => probe.Handled.Where(h => h.Item.Run == run).ToList(), total - poison.Length);
        var dead = ReadDeadLetters(SplitTopic, start, poison.Length);

        Assert.Equal(Enumerable.Range(0, total).Except(poison), handled.Select(h => h.Item.Seq));
        Assert.Equal(poison.Select(p => start + p), dead.Select(d => long.Parse(RawKafka.Header(d, DeadLetterHeaders.OriginalOffset))));
        Assert.All(dead, d =>
        {
            Assert.Equal(SplitTopic, RawKafka.Header(d, DeadLetterHeaders.OriginalTopic));
            Assert.Equal("0", RawKafka.Header(d, DeadLetterHeaders.OriginalPartition));
            Assert.Equal("batch-split", RawKafka.Header(d, DeadLetterHeaders.ConsumerGroup));
            Assert.Equal("2", RawKafka.Header(d, DeadLetterHeaders.Attempts));
            Assert.Equal(typeof(InvalidOperationException).FullName, RawKafka.Header(d, DeadLetterHeaders.ExceptionType));
            Assert.Equal("one-key", System.Text.Encoding.UTF8.GetString(d.Message.Key));
        });

        // The poison records were found by splitting: they failed alone, in batches of one.
        Assert.All(poison, p => Assert.Contains(probe.Calls, c => c.Items is [{ Seq: var s }] && s == p && c.Items[0].Run == run));
        Assert.Contains(probe.Calls, c => c.Items.Length > 1 && c.Items.Any(i => i.Poison && i.Run == run));
        await WaitForCommitsAsync(Split.GroupId, SplitTopic, 1);
        await host.StopAsync();
        Assert.Equal(poison.Length, ReadDeadLetters(SplitTopic, start, poison.Length + 1, TimeSpan.FromSeconds(3)).Count);
    }

    [Fact]
    public async Task In_whole_batch_mode_the_failing_batch_goes_to_the_dead_letter_topic_and_the_other_batches_are_handled()
    {
        Provision(WholeTopic, 1);
        var run = Guid.NewGuid().ToString("N");
        const int total = 12;
        var start = await ProduceFirstAsync<IBatchWholeProducer>(async producer =>
        {
            for (var seq = 0; seq < total; seq++)
            {
                await producer.ProduceAsync(new WholeItem("one-key", seq, run, seq == 7));
            }
        }, WholeTopic);

        var probe = new BatchProbe("app");
        using var host = await StartAsync(probe, Whole, options =>
        {
            options.Batch.MaxMessages = 5;
            options.Batch.OnFailure = BatchFailureMode.DeadLetterWhole;
            options.Retry.MaxAttempts = 1;
        });

        var failed = await WaitForAsync(() => probe.Calls.Where(c => c.Items.Any(i => i.Run == run && i.Poison)).ToList(), 1);
        var failedSeqs = failed.Single().Items.Select(i => i.Seq).ToList();
        var handled = await WaitForAsync(() => probe.Handled.Where(h => h.Item.Run == run).ToList(), total - failedSeqs.Count);
        var dead = ReadDeadLetters(WholeTopic, start, failedSeqs.Count);

        // The failing batch (several records, the poison one among them) went whole, once; every other record was handled once.
        Assert.Contains(7, failedSeqs);
        Assert.True(failedSeqs.Count > 1, $"the failing batch held {failedSeqs.Count} record(s)");
        Assert.Equal(failedSeqs.Select(s => start + s), dead.Select(d => long.Parse(RawKafka.Header(d, DeadLetterHeaders.OriginalOffset))));
        Assert.Equal(Enumerable.Range(0, total).Except(failedSeqs), handled.Select(h => h.Item.Seq));
        Assert.All(dead, d => Assert.Equal("1", RawKafka.Header(d, DeadLetterHeaders.Attempts)));
        await WaitForCommitsAsync(Whole.GroupId, WholeTopic, 1);
        await host.StopAsync();
    }

    [Fact]
    public async Task Batches_in_flight_during_a_rebalance_and_a_shutdown_are_drained_and_nothing_is_lost_or_reordered()
    {
        Provision(MoveTopic, 4);
        var run = Guid.NewGuid().ToString("N");
        const int keys = 20, perKey = 40;
        Action<ConsumerGroupOptions> configure = options =>
        {
            options.Batch.MaxMessages = 8;
            options.Batch.MaxWait = TimeSpan.FromMilliseconds(50);
        };

        // Host A blocks in a batch while B joins (the revoke drains it), then again while it is stopped (the shutdown drains it).
        var a = new BatchProbe("a");
        var gate = new BatchGate();
        a.Hook = async (call, cancellationToken) =>
        {
            await gate.PassAsync(call, cancellationToken);
            await Task.Delay(10, cancellationToken);
        };
        var b = new BatchProbe("b");
        b.Hook = static (_, cancellationToken) => Task.Delay(10, cancellationToken);

        var hostA = await StartAsync(a, Move, configure);
        Func<int, int, Task> produce = (from, to) => ProduceFirstAsync<IBatchMoveProducer>(async producer =>
        {
            for (var seq = from; seq < to; seq++)
            {
                var sends = new List<Task>();
                for (var k = 0; k < keys; k++)
                {
                    sends.Add(producer.ProduceAsync(new MoveItem($"k{k}-{run}", seq, run)).AsTask());
                }

                await Task.WhenAll(sends);
                await Task.Delay(20);
            }
        }, MoveTopic);

        var rebalancing = gate.Arm();
        await produce(0, perKey / 2);
        var rebalanced = await rebalancing.WaitAsync(Patience);
        var hostB = await StartAsync(b, Move, configure);
        await Task.Delay(1000); // B's join is under way while A's batch holds its revoke
        gate.Release();
        await WaitForAsync(() => b.Handled.Where(h => h.Item.Run == run).ToList(), 1);

        var stopping = gate.Arm();
        await produce(perKey / 2, perKey);
        var stopped = await stopping.WaitAsync(Patience);
        var stop = hostA.StopAsync();
        await Task.Delay(500); // the shutdown is waiting for the batch
        gate.Release();
        await stop;
        hostA.Dispose();

        // Both batches held at a rebalance and at shutdown completed (drained, not cancelled).
        Assert.True(rebalanced.Completed);
        Assert.True(stopped.Completed);

        var all = await WaitForAsync(() => a.Handled.Concat(b.Handled).Where(h => h.Item.Run == run).Select(h => h.Item.Key + "#" + h.Item.Seq).Distinct().ToList(), keys * perKey);
        Assert.Equal(keys * perKey, all.Count);

        // Per key, across both hosts in the order handling completed: a record is handled only after every earlier record
        // of its key was (a replay after a rebalance may repeat records, never skip ahead).
        foreach (var key in a.Handled.Concat(b.Handled).Where(h => h.Item.Run == run).OrderBy(h => h.Stamp).GroupBy(h => h.Item.Key))
        {
            var highest = -1;
            foreach (var (item, host, _) in key)
            {
                Assert.True(item.Seq <= highest + 1, $"{key.Key} on {host}: seq {item.Seq} after {highest}");
                highest = Math.Max(highest, item.Seq);
            }
        }

        await WaitForCommitsAsync(Move.GroupId, MoveTopic, 4);
        await hostB.StopAsync();
        hostB.Dispose();
    }

    [Fact]
    public async Task A_group_with_batch_handlers_refuses_to_start_with_a_batch_larger_than_its_buffer_naming_the_key()
    {
        var probe = new BatchProbe("app");
        using var host = Build(probe, Whole, options =>
        {
            options.MaxBufferedPerPartition = 10;
            options.Batch.MaxMessages = 50;
        });

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.Contains("KafkaTyped:Consumers:batch-whole:Batch:MaxMessages", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("MaxBufferedPerPartition", failure.Message, StringComparison.Ordinal);
    }

    // What the generated AddKafkaTyped does for each group, one group at a time.
    private static readonly Group Flow = new("batch-flow", s => s.AddKafkaTypedProducer<IBatchFlowProducer, BatchFlowProducer>(), s => s.AddScoped<FlowBatches>().AddKafkaTypedConsumer<FlowBatchesDispatcher>());
    private static readonly Group Split = new("batch-split", s => s.AddKafkaTypedProducer<IBatchSplitProducer, BatchSplitProducer>(), s => s.AddScoped<SplitBatches>().AddKafkaTypedConsumer<SplitBatchesDispatcher>());
    private static readonly Group Whole = new("batch-whole", s => s.AddKafkaTypedProducer<IBatchWholeProducer, BatchWholeProducer>(), s => s.AddScoped<WholeBatches>().AddKafkaTypedConsumer<WholeBatchesDispatcher>());
    private static readonly Group Move = new("batch-move", s => s.AddKafkaTypedProducer<IBatchMoveProducer, BatchMoveProducer>(), s => s.AddScoped<MoveBatches>().AddKafkaTypedConsumer<MoveBatchesDispatcher>());

    private static string FlowBatchesDispatcherTopic => BatchFlowSet.Instance.Topic;

    private static string SplitTopic => BatchSplitSet.Instance.Topic;

    private static string WholeTopic => BatchWholeSet.Instance.Topic;

    private static string MoveTopic => BatchMoveSet.Instance.Topic;

    private void Provision(string topic, int partitions)
    {
        fixture.Cluster.CreateTopic(topic, partitions);
        fixture.Cluster.CreateTopic(topic + ".dlq", partitions);
    }

    private IHost Build(BatchProbe probe, Group group, Action<ConsumerGroupOptions>? configure, bool consumer = true)
    {
        // The collection's registry: every host of a test (producer, members) must agree on the schema ids.
        var registry = fixture.SharedRegistryAsync().GetAwaiter().GetResult().Url;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:BootstrapServers"] = fixture.BootstrapServers,
            ["KafkaTyped:SchemaRegistry:Urls:0"] = registry,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(probe);
        builder.Services.AddKafkaTypedCore(builder.Configuration);
        group.RegisterProducer(builder.Services);
        if (consumer)
        {
            group.RegisterConsumer(builder.Services);
            builder.Services.Configure<ConsumerGroupOptions>(group.GroupId, options =>
            {
                options.CommitInterval = TimeSpan.FromMilliseconds(200);
                options.Retry.InitialDelay = TimeSpan.FromMilliseconds(20);
                options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
                configure?.Invoke(options);
            });
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        return builder.Build();
    }

    private async Task<IHost> StartAsync(BatchProbe probe, Group group, Action<ConsumerGroupOptions>? configure)
    {
        var host = Build(probe, group, configure);
        await host.StartAsync();
        return host;
    }

    /// <summary>Produces from a host without the consumer; returns the partition-0 end offset before the first record.</summary>
    private async Task<long> ProduceFirstAsync<TProducer>(Func<TProducer, Task> produce, string topic)
        where TProducer : notnull
    {
        var start = RawKafka.HighWatermarks(fixture, topic, 1)[0];
        using var host = Build(new BatchProbe("producer"), GroupOf<TProducer>(), null, consumer: false);
        await host.StartAsync();
        await produce(host.Services.GetRequiredService<TProducer>());
        await host.StopAsync();
        return start;
    }

    private static Group GroupOf<TProducer>() =>
        typeof(TProducer) == typeof(IBatchSplitProducer) ? Split
        : typeof(TProducer) == typeof(IBatchWholeProducer) ? Whole
        : typeof(TProducer) == typeof(IBatchMoveProducer) ? Move
        : Flow;

    /// <summary>The dead letters of records from offset <paramref name="from"/> on, once <paramref name="expected"/> arrived or the timeout passed.</summary>
    private List<Confluent.Kafka.ConsumeResult<byte[], byte[]>> ReadDeadLetters(string topic, long from, int expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        while (true)
        {
            var found = RawKafka.ReadAll(fixture, topic + ".dlq", 1, int.MaxValue, TimeSpan.FromSeconds(2))
                .Where(d => long.Parse(RawKafka.Header(d, DeadLetterHeaders.OriginalOffset)) >= from).ToList();
            if (found.Count >= expected || DateTime.UtcNow > deadline)
            {
                return found;
            }
        }
    }

    /// <summary>Waits until every partition's commit reached its end (a partition that never had a record has none).</summary>
    private async Task WaitForCommitsAsync(string group, string topic, int partitions)
    {
        var deadline = DateTime.UtcNow + Patience;
        var end = RawKafka.HighWatermarks(fixture, topic, partitions);
        Dictionary<int, long> committed;
        while ((committed = Committed()).Any(c => c.Value < end[c.Key]) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(end, committed);

        Dictionary<int, long> Committed() =>
            RawKafka.Committed(fixture, group, topic, partitions).ToDictionary(c => c.Key, c => end[c.Key] == 0 ? Math.Max(0, c.Value) : c.Value);
    }

    private static async Task<List<T>> WaitForAsync<T>(Func<List<T>> read, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        List<T> found;
        while ((found = read()).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return found;
    }

    private sealed record Group(string GroupId, Action<IServiceCollection> RegisterProducer, Action<IServiceCollection> RegisterConsumer);

    /// <summary>Holds the next batch handler call that arrives after <see cref="Arm"/> until <see cref="Release"/>.</summary>
    private sealed class BatchGate
    {
        private TaskCompletionSource<BatchCall>? armed;
        private TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<BatchCall> Arm()
        {
            release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var entered = new TaskCompletionSource<BatchCall>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref armed, entered);
            return entered.Task;
        }

        public void Release() => release.TrySetResult();

        public async Task PassAsync(BatchCall call, CancellationToken cancellationToken)
        {
            var entered = Interlocked.Exchange(ref armed, null);
            if (entered is not null)
            {
                var held = release.Task;
                entered.SetResult(call);
                await held.WaitAsync(cancellationToken);
            }
        }
    }
}
