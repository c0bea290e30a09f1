using Confluent.Kafka;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;

namespace KafkaTyped.Producing;

/// <summary>What a librdkafka producer applies to every topic it writes: acknowledgements, partitioner, idempotence.</summary>
internal readonly record struct ProducerProfile(Acks Acks, Partitioner Partitioner, bool Idempotence)
{
    public override string ToString() => $"acks={Name(Acks)}, partitioner={Name(Partitioner)}, enable.idempotence={(Idempotence ? "true" : "false")}";

    public static string Name(Acks acks) => acks switch
    {
        Acks.None => "0",
        Acks.Leader => "1",
        _ => "all",
    };

    public static string Name(Partitioner partitioner) => partitioner switch
    {
        Partitioner.Murmur2Random => "murmur2_random",
        Partitioner.ConsistentRandom => "consistent_random",
        Partitioner.Random => "random",
        Partitioner.Murmur2 => "murmur2",
        _ => "consistent",
    };
}

/// <summary>
/// Resolves each topic's producer profile: <c>KafkaTyped:Topics:{topic}</c> over the topic's <c>[Topic]</c> attribute
/// (<see cref="TopicDeclaration"/>) over the application's producer settings, and explains every mistake with the key
/// that holds it and the fix.
/// </summary>
/// <remarks>
/// Confluent.Kafka applies <c>acks</c>, <c>partitioner</c> and <c>enable.idempotence</c> to a whole producer, so a topic
/// whose profile differs from the application's is sent through a producer of its own profile
/// (<see cref="KafkaProducerConnection.ProducerFor"/>): one more librdkafka instance per distinct profile, not per topic.
/// </remarks>
internal sealed class TopicProducerProfiles
{
    private const string Section = KafkaTypedOptions.SectionName;
    private const string IdempotenceKey = "enable.idempotence";

    private readonly KafkaTypedOptions options;
    private readonly Dictionary<string, TopicDeclaration> declarations = new(StringComparer.Ordinal);

    public TopicProducerProfiles(KafkaTypedOptions options, IEnumerable<TopicDeclaration> declarations)
    {
        this.options = options;
        foreach (var declaration in declarations)
        {
            // Two assemblies declaring one topic: the first registration holds, as for every other topic property.
            this.declarations.TryAdd(declaration.Topic, declaration);
        }

        Defaults = DefaultsOf(options);
    }

    /// <summary>The profile of topics without settings of their own: the application's producer settings.</summary>
    public ProducerProfile Defaults { get; }

    /// <summary>The topics with settings of their own (configured or declared), in ordinal order.</summary>
    public IEnumerable<string> Topics => options.Topics.Keys.Union(declarations.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>The profile <paramref name="topic"/> is produced with; mistakes are added to <paramref name="failures"/> (the defaults stand in for them).</summary>
    public ProducerProfile Resolve(string topic, List<string>? failures = null)
    {
        options.Topics.TryGetValue(topic, out var configured);
        declarations.TryGetValue(topic, out var declared);
        var key = $"{Section}:Topics:{topic}";

        Acks? acks = null;
        string? acksSource = null;
        if (configured?.Acks is { } acksText)
        {
            if (TryParseAcks(acksText, out var parsed))
            {
                (acks, acksSource) = (parsed, $"{key}:Acks = '{acksText}'");
            }
            else
            {
                failures?.Add($"{key}:Acks = '{acksText}' is not an acknowledgement level: use none (or 0), leader (or 1) or all (or -1).");
            }
        }
        else if (declared is { Acks: not TopicAcks.Default })
        {
            if (Map(declared.Acks) is { } mapped)
            {
                (acks, acksSource) = (mapped, $"[Topic(\"{topic}\", Acks = TopicAcks.{declared.Acks})]");
            }
            else
            {
                failures?.Add($"[Topic(\"{topic}\")] declares Acks = {(int)declared.Acks}, which is no TopicAcks value: use TopicAcks.None, Leader or All (KT0115).");
            }
        }

        Partitioner? partitioner = null;
        if (configured?.Partitioner is { } partitionerText)
        {
            if (TryParsePartitioner(partitionerText, out var parsed))
            {
                partitioner = parsed;
            }
            else
            {
                failures?.Add($"{key}:Partitioner = '{partitionerText}' is not a partitioner KafkaTyped sets per topic: use murmur2 (the Java client's placement, KafkaTyped's default), consistent_random (librdkafka's default) or random. Other librdkafka partitioners apply to every topic through {Section}:ProducerSettings:partitioner.");
            }
        }
        else if (declared is { Partitioner: not TopicPartitioner.Default })
        {
            partitioner = Map(declared.Partitioner);
            if (partitioner is null)
            {
                failures?.Add($"[Topic(\"{topic}\")] declares Partitioner = {(int)declared.Partitioner}, which is no TopicPartitioner value: use TopicPartitioner.Murmur2, ConsistentRandom or Random (KT0115).");
            }
        }

        bool? idempotence = null;
        string? idempotenceSource = null;
        if (configured?.EnableIdempotence is { } idempotenceText)
        {
            if (bool.TryParse(idempotenceText.Trim(), out var parsed))
            {
                (idempotence, idempotenceSource) = (parsed, $"{key}:EnableIdempotence = '{idempotenceText}'");
            }
            else
            {
                failures?.Add($"{key}:EnableIdempotence = '{idempotenceText}' is not a boolean: use true or false, or leave it out (idempotent exactly when acks is all).");
            }
        }
        else if (declared?.EnableIdempotence is { } declaredIdempotence)
        {
            (idempotence, idempotenceSource) = (declaredIdempotence, $"[Topic(\"{topic}\", EnableIdempotence = {(declaredIdempotence ? "true" : "false")})]");
        }
        else if (acks is not null && acks != Acks.All && ExplicitIdempotence() is { } global)
        {
            // The application asked for idempotence for every producer, and this topic for fewer acknowledgements.
            (idempotence, idempotenceSource) = global;
        }

        var effectiveAcks = acks ?? Defaults.Acks;
        var effective = new ProducerProfile(
            effectiveAcks,
            partitioner ?? Defaults.Partitioner,
            idempotence ?? (effectiveAcks == Acks.All && Defaults.Idempotence));
        if (effective.Idempotence && effectiveAcks != Acks.All)
        {
            var acksFix = acksSource is not null && acksSource.StartsWith('[')
                ? $"declare Acks = TopicAcks.All (or set {key}:Acks to all)"
                : $"set {key}:Acks to all";
            failures?.Add($"Topic '{topic}': idempotence needs acks=all, but {acksSource ?? $"{Section}:ProducerSettings:acks"} asks for acks={ProducerProfile.Name(effectiveAcks)} while {idempotenceSource} enables idempotence. Either {acksFix}, or set {key}:EnableIdempotence to false (the topic's records may then be duplicated or reordered when a send is retried).");
            effective = effective with { Idempotence = false };
        }

        return effective;
    }

    /// <summary>Parses <c>none</c>/<c>0</c>, <c>leader</c>/<c>1</c>, <c>all</c>/<c>-1</c> (case-insensitive).</summary>
    internal static bool TryParseAcks(string text, out Acks acks)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "none" or "0":
                acks = Acks.None;
                return true;
            case "leader" or "1":
                acks = Acks.Leader;
                return true;
            case "all" or "-1":
                acks = Acks.All;
                return true;
            default:
                acks = default;
                return false;
        }
    }

    /// <summary>Parses the three per-topic partitioners by KafkaTyped's or librdkafka's name (case-insensitive).</summary>
    internal static bool TryParsePartitioner(string text, out Partitioner partitioner)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "murmur2" or "murmur2_random" or "murmur2random":
                partitioner = Partitioner.Murmur2Random;
                return true;
            case "consistent_random" or "consistentrandom" or "consistent-random":
                partitioner = Partitioner.ConsistentRandom;
                return true;
            case "random":
                partitioner = Partitioner.Random;
                return true;
            default:
                partitioner = default;
                return false;
        }
    }

    private static Acks? Map(TopicAcks acks) => acks switch
    {
        TopicAcks.None => Acks.None,
        TopicAcks.Leader => Acks.Leader,
        TopicAcks.All => Acks.All,
        _ => null,
    };

    private static Partitioner? Map(TopicPartitioner partitioner) => partitioner switch
    {
        TopicPartitioner.Murmur2 => Partitioner.Murmur2Random,
        TopicPartitioner.ConsistentRandom => Partitioner.ConsistentRandom,
        TopicPartitioner.Random => Partitioner.Random,
        _ => null,
    };

    /// <summary>The application's producer settings as <see cref="KafkaCluster.CreateProducerConfig"/> and the connection apply them.</summary>
    private static ProducerProfile DefaultsOf(KafkaTypedOptions options)
    {
        var config = new ProducerConfig(new Dictionary<string, string>(options.Settings, StringComparer.Ordinal));
        foreach (var (key, value) in options.ProducerSettings)
        {
            config.Set(key, value);
        }

        // A malformed value is the options validator's to report; here it stands for the default.
        return new ProducerProfile(
            Read(() => config.Acks) ?? Acks.All,
            Read(() => config.Partitioner) ?? Partitioner.Murmur2Random,
            Read(() => config.EnableIdempotence) ?? true);
    }

    private static T? Read<T>(Func<T?> read)
        where T : struct
    {
        try
        {
            return read();
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            return null;
        }
    }

    private (bool Value, string Source)? ExplicitIdempotence()
    {
        if (options.ProducerSettings.TryGetValue(IdempotenceKey, out var producer) && bool.TryParse(producer, out var fromProducer))
        {
            return fromProducer ? (true, $"{Section}:ProducerSettings:{IdempotenceKey} = '{producer}'") : null;
        }

        if (options.Settings.TryGetValue(IdempotenceKey, out var shared) && bool.TryParse(shared, out var fromShared))
        {
            return fromShared ? (true, $"{Section}:Settings:{IdempotenceKey} = '{shared}'") : null;
        }

        return null;
    }
}
