namespace KafkaTyped.Peers;

/// <summary>One framework under test; each run uses a fresh topic on the shared cluster.</summary>
internal interface IPeer
{
    string Name { get; }

    /// <summary>Produces <paramref name="count"/> keyed messages as fast as the framework takes them, until all are acknowledged.</summary>
    Measurement Produce(Payload payload, int count);

    /// <summary>Consumes and handles (no-op) <paramref name="count"/> messages already waiting in the topic, from the first handled one.</summary>
    Measurement Consume(Payload payload, int count);

    /// <summary>Produces at a fixed <paramref name="rate"/> while consuming; returns each message's produce → handle time, sorted.</summary>
    double[] Transit(Payload payload, int rate, int count);
}

/// <summary>Sends at a fixed offered rate: message i is due at i ÷ rate seconds (sleeping between, so bursts of a few ms).</summary>
internal static class Pacer
{
    public static void Run(int rate, int count, Action<int> send)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            while (clock.Elapsed < due)
            {
                Thread.Sleep(1);
            }

            send(i);
        }
    }
}
