using Confluent.Kafka;

namespace KafkaTyped.Peers;

/// <summary>Confluent.Kafka 2.16 by hand: pre-framed bytes, <c>Produce</c> with a delivery handler, a subscribe-and-Consume loop.</summary>
internal sealed class RawPeer(PeerEnvironment env) : IPeer
{
    public string Name => "raw Confluent.Kafka";

    public Measurement Produce(Payload payload, int count)
    {
        var topic = env.NewTopic("raw-produce");
        using var producer = new ProducerBuilder<byte[], byte[]>(env.ProducerConfig()).Build();
        producer.Produce(topic, new Message<byte[], byte[]> { Key = env.Keys[0], Value = payload.Framed }); // connect outside the measurement
        producer.Flush(TimeSpan.FromSeconds(30));
        var delivered = 0;
        Action<DeliveryReport<byte[], byte[]>> onDelivered = _ => Interlocked.Increment(ref delivered);
        var probe = Probe.Start();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(topic, new Message<byte[], byte[]> { Key = env.Keys[i % PeerEnvironment.KeyCount], Value = payload.Framed }, onDelivered);
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        var m = probe.Stop(count);
        Check(delivered, count, "raw produce");
        return m;
    }

    public Measurement Consume(Payload payload, int count)
    {
        var topic = env.NewTopic("raw-consume");
        env.Prefill(topic, payload, count);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(env.ConsumerConfig($"raw-{topic}")).Build();
        consumer.Subscribe(topic);
        var read = 0;
        Probe? probe = null;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (read < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is null)
            {
                continue;
            }

            probe ??= Probe.Start();
            read++;
        }

        var m = probe!.Value.Stop(count);
        consumer.Close();
        Check(read, count, "raw consume");
        return m;
    }

    public double[] Transit(Payload payload, int rate, int count)
    {
        var topic = env.NewTopic("raw-transit");
        var sink = new HandledSink(count);
        using var cancel = new CancellationTokenSource();
        var consuming = Task.Factory.StartNew(() =>
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(env.ConsumerConfig($"raw-{topic}")).Build();
            consumer.Subscribe(topic);
            while (!cancel.IsCancellationRequested)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } record)
                {
                    sink.OnData(record.Message.Value.AsSpan(payload.DataOffset));
                }
            }

            consumer.Close();
        }, TaskCreationOptions.LongRunning);

        using var producer = new ProducerBuilder<byte[], byte[]>(env.ProducerConfig()).Build();
        void Send(int i, bool warmUp)
        {
            var value = (byte[])payload.Framed.Clone();
            Payload.Stamp(value.AsSpan(payload.DataOffset), i % PeerEnvironment.KeyCount, i / PeerEnvironment.KeyCount, warmUp);
            producer.Produce(topic, new Message<byte[], byte[]> { Key = env.Keys[i % PeerEnvironment.KeyCount], Value = value });
        }

        WarmUp(sink, () => Send(0, warmUp: true));
        Pacer.Run(rate, count, i => Send(i, warmUp: false));
        producer.Flush(TimeSpan.FromMinutes(1));
        var done = HandledSink.WaitUntil(() => Volatile.Read(ref sink.Handled) >= count, TimeSpan.FromMinutes(1));
        cancel.Cancel();
        consuming.GetAwaiter().GetResult();
        Check(done ? count : sink.Handled, count, "raw transit");
        return sink.SortedTransitMs();
    }

    /// <summary>Sends warm-up messages until one is handled: the consumer has joined and fetches.</summary>
    public static void WarmUp(HandledSink sink, Action send)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!sink.WarmedUp)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the consumer never received a warm-up message");
            }

            send();
            HandledSink.WaitUntil(() => sink.WarmedUp, TimeSpan.FromSeconds(1));
        }
    }

    public static void Check(int count, int expected, string what)
    {
        if (count < expected)
        {
            throw new InvalidOperationException($"{what}: {count} of {expected} messages.");
        }
    }
}
