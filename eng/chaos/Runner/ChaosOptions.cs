using System.Globalization;

namespace KafkaTyped.Chaos;

/// <summary>The scenario runner's options (<c>eng/chaos.sh --help</c>).</summary>
internal sealed record ChaosOptions
{
    public const string Help = """
        usage: eng/chaos.sh [--short | --soak] [options]
          --short             every kind of fault once, about a minute (the default; ./test.sh runs it with
                              --seed 19 --no-time-bounds)
          --soak              faults at random moments until the time is up (implied by --minutes > 2 or
                              --messages > 100000)
          --seed N            the seed of every random choice (default: random, printed)
          --messages N        ticks to produce (short 20000, soak 1000000)
          --minutes M         how long the producer and the faults run (short 0.75, soak 20)
          --keys N            keys (short 200, soak 2000); must divide --messages
          --members N         consumer group members kept running (default 3; lanes 1 and 4 alternate)
          --cache-keys N      replicated-cache keys (short 120, soak 300)
          --cache-ops N       operations per cache key (short 20, soak 60); every restarted replica replays them all,
                              and on the embedded cluster (single-record batches) 150,000 took over 2 minutes
          --no-time-bounds    report the liveness probe's and the joins' times without failing on the 30 s and 40 s
                              bounds (the test suite's run: on a loaded machine only invariants may fail it; every
                              member's embedded session timeout is checked in its settings either way)
          --work DIR          where logs and records go (default: a new temp folder, kept)
          --no-build          (eng/chaos.sh only) skip building eng/chaos (Release) first
        """;

    public long Seed { get; init; }
    public bool Soak { get; init; }
    public int Messages { get; init; }
    public double Minutes { get; init; }
    public int Keys { get; init; }
    public int Members { get; init; } = 3;
    public int CacheKeys { get; init; }
    public int CacheOps { get; init; }
    public int Writers { get; init; } = 2;
    public int Replicas { get; init; } = 2;
    public int FailPerMille { get; init; } = 10;
    public string Work { get; init; } = "";
    public bool TimeBounds { get; init; } = true;

    public double Seconds => Minutes * 60;

    public static ChaosOptions Parse(string[] args)
    {
        long? seed = null;
        int? messages = null, keys = null, members = null, cacheKeys = null, cacheOps = null;
        double? minutes = null;
        string? work = null;
        var soakAsked = false;
        var timeBounds = true;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value\n{Help}");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--short":
                    break;
                case "--soak":
                    soakAsked = true;
                    break;
                case "--no-time-bounds":
                    timeBounds = false;
                    break;
                case "--seed":
                    seed = long.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--messages":
                    messages = Int();
                    break;
                case "--minutes":
                    minutes = double.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--keys":
                    keys = Int();
                    break;
                case "--members":
                    members = Int();
                    break;
                case "--cache-keys":
                    cacheKeys = Int();
                    break;
                case "--cache-ops":
                    cacheOps = Int();
                    break;
                case "--work":
                    work = Next();
                    break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}\n{Help}");
            }
        }

        // A soak draws faults at random until its time is up; a short run injects every kind of fault once.
        var soak = soakAsked || minutes > 2 || messages > 100_000;
        var options = new ChaosOptions
        {
            Seed = seed ?? Random.Shared.NextInt64(1, 1_000_000_000),
            Soak = soak,
            Messages = messages ?? (soak ? 1_000_000 : 20_000),
            Minutes = minutes ?? (soak ? 20 : 0.75),
            Keys = keys ?? (soak ? 2000 : 200),
            Members = members ?? 3,
            CacheKeys = cacheKeys ?? (soak ? 300 : 120),
            CacheOps = cacheOps ?? (soak ? 60 : 20),
            Work = work ?? Directory.CreateTempSubdirectory("kafkatyped-chaos-").FullName,
            TimeBounds = timeBounds,
        };

        if (options.Messages % options.Keys != 0)
        {
            throw new ArgumentException($"--keys ({options.Keys}) must divide --messages ({options.Messages})");
        }

        if (options.Members < 2)
        {
            throw new ArgumentException("--members must be at least 2 (the liveness probe kills one)");
        }

        Directory.CreateDirectory(options.Work);
        return options;
    }
}
