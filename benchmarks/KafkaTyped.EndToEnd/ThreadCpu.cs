namespace KafkaTyped.EndToEnd;

/// <summary>
/// CPU time per thread of this process, from <c>/proc/self/task/*/schedstat</c> (nanoseconds on a CPU), split into
/// librdkafka's threads (named <c>rdk:…</c>: the client's and, with the embedded cluster, the mock brokers') and the
/// rest (.NET: the consume loop or KafkaTyped's engine, the GC, the thread pool). The process total mixes the brokers'
/// work, which both sides of a comparison share, with the side under test; the .NET share alone compares the engines.
/// </summary>
internal static class ThreadCpu
{
    /// <summary>Nanoseconds on a CPU per live thread id, with the thread's name.</summary>
    public static Dictionary<int, (string Name, long Nanoseconds)> Sample()
    {
        var threads = new Dictionary<int, (string, long)>();
        if (!Directory.Exists("/proc/self/task"))
        {
            return threads;
        }

        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var schedstat = File.ReadAllText(Path.Combine(task, "schedstat"));
                var name = File.ReadAllText(Path.Combine(task, "comm"));
                var nanoseconds = long.Parse(schedstat.AsSpan(0, schedstat.IndexOf(' ')), System.Globalization.CultureInfo.InvariantCulture);
                threads[int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture)] = (name.TrimEnd(), nanoseconds);
            }
            catch (IOException)
            {
                // The thread ended while it was read.
            }
        }

        return threads;
    }

    /// <summary>
    /// The .NET threads' CPU between two samples, in nanoseconds. A thread started in between counts from zero; one that
    /// ended in between is missed (its last slice is small next to a run).
    /// </summary>
    public static long DotNetNanoseconds(Dictionary<int, (string Name, long Nanoseconds)> before, Dictionary<int, (string Name, long Nanoseconds)> after) =>
        ByName(before, after).Where(static pair => !IsLibrdkafka(pair.Key)).Sum(static pair => pair.Value);

    /// <summary>CPU between two samples per thread name (threads of one name summed), in nanoseconds.</summary>
    public static Dictionary<string, long> ByName(Dictionary<int, (string Name, long Nanoseconds)> before, Dictionary<int, (string Name, long Nanoseconds)> after)
    {
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, (name, nanoseconds)) in after)
        {
            var used = nanoseconds - (before.TryGetValue(id, out var earlier) ? earlier.Nanoseconds : 0);
            byName[name] = byName.GetValueOrDefault(name) + used;
        }

        return byName;
    }

    private static bool IsLibrdkafka(string threadName) => threadName.StartsWith("rdk:", StringComparison.Ordinal);
}
