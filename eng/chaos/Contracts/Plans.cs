namespace KafkaTyped.Chaos;

/// <summary>A stateless, seeded hash: the same decision in every process and every run for the same seed.</summary>
public static class SeededHash
{
    /// <summary>splitmix64 over the seed and two values.</summary>
    public static ulong Mix(long seed, long a, long b)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)a * 0xBF58476D1CE4E5B9UL ^ (ulong)b * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}

/// <summary>
/// Which ticks the handler must fail on: about <paramref name="FailPerMille"/> in a thousand, chosen by the seed, so
/// the producer marks them and the checker expects exactly those in the dead-letter topic.
/// </summary>
public sealed record TickPlan(long Seed, int FailPerMille)
{
    public bool Fails(int key, int seq) => (int)(SeededHash.Mix(Seed, key, seq) % 1000) < FailPerMille;
}

/// <summary>
/// The replicated-cache workload: <paramref name="Keys"/> keys, each written by one of <paramref name="Writers"/>
/// writers (key modulo writers) through operations 0 .. <paramref name="Ops"/>-1, one round per operation; about one
/// operation in five deletes the key, the others set it to <c>CacheEntry(op, writer)</c>. Replaying a round gives the
/// same records, so a writer restarted after <c>kill -9</c> resumes at the round it had not finished. The reference
/// state: every key as its last operation left it.
/// </summary>
public sealed record CachePlan(long Seed, int Keys, int Ops, int Writers)
{
    public static string KeyName(int key) => "c" + key.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static int KeyIndex(string key) => int.Parse(key.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    public int WriterOf(int key) => key % Writers;

    public bool Deletes(int key, int op) => SeededHash.Mix(Seed ^ 0x5EED, key, op) % 5 == 0;

    /// <summary>The value the key holds once every operation ran (null: absent).</summary>
    public CacheEntry? Final(int key) => Deletes(key, Ops - 1) ? null : new CacheEntry(Ops - 1, WriterOf(key));
}
