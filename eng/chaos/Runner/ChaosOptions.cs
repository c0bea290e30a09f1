using System.Globalization;

namespace KafkaTyped.Chaos;

/// <summary>The scenario runner's options (<c>eng/chaos.sh --help</c>).</summary>
internal sealed record ChaosOptions
{
    public const string Help = """
        usage: eng/chaos.sh [--short | --soak] [options]
          --seed N            the seed of every random choice (default: random, printed)
          --messages N        ticks to produce (short 20000, soak 1000000)
          --minutes M         how long the producer and the faults run (short 0.75, soak 20)
          --keys N            keys (short 200, soak 2000); must divide --messages
          --members N         consumer group members kept running (default 3; lanes 1 and 4 alternate)
          --cache-keys N      replicated-cache keys (short 120, soak 1000)
          --cache-ops N       operations per cache key (short 20, soak 150)
          --work DIR          where logs and records go (default: a new temp folder, kept)
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

    public double Seconds => Minutes * 60;

    public static ChaosOptions Parse(string[] args)
    {
        var soak = args.Contains("--soak");
        var options = soak
            ? new ChaosOptions { Soak = true, Messages = 1_000_000, Minutes = 20, Keys = 2000, CacheKeys = 1000, CacheOps = 150 }
            : new ChaosOptions { Messages = 20_000, Minutes = 0.75, Keys = 200, CacheKeys = 120, CacheOps = 20 };
        options = options with { Seed = Random.Shared.NextInt64(1, 1_000_000_000) };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value\n{Help}");
            options = args[i] switch
            {
                "--short" or "--soak" => options,
                "--seed" => options with { Seed = long.Parse(Next(), CultureInfo.InvariantCulture) },
                "--messages" => options with { Messages = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--minutes" => options with { Minutes = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--keys" => options with { Keys = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--members" => options with { Members = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--cache-keys" => options with { CacheKeys = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--cache-ops" => options with { CacheOps = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--work" => options with { Work = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}\n{Help}"),
            };
        }

        if (options.Messages % options.Keys != 0)
        {
            throw new ArgumentException($"--keys ({options.Keys}) must divide --messages ({options.Messages})");
        }

        if (options.Members < 2)
        {
            throw new ArgumentException("--members must be at least 2 (the liveness probe kills one)");
        }

        return string.IsNullOrEmpty(options.Work)
            ? options with { Work = Directory.CreateTempSubdirectory("kafkatyped-chaos-").FullName }
            : options;
    }
}
