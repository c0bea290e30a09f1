using System.Globalization;

namespace KafkaTyped.Hosting;

/// <summary>
/// The settings Confluent.Kafka reads itself (the <c>dotnet.</c> prefix) and never passes to librdkafka, which would
/// refuse them as unknown: their names, the values each accepts, and the ones KafkaTyped cannot work without.
/// </summary>
internal static class ConfluentClientSettings
{
    /// <summary>The prefix of every setting Confluent.Kafka keeps for itself.</summary>
    public const string Prefix = "dotnet.";

    /// <summary>Which fields of a consumed record the client marshals: any of headers, timestamp, topic; or all; or none.</summary>
    public const string ConsumeResultFields = "dotnet.consumer.consume.result.fields";

    private const string DeliveryReportFields = "dotnet.producer.delivery.report.fields";
    private const string EnableDeliveryReports = "dotnet.producer.enable.delivery.reports";
    private const string EnableBackgroundPoll = "dotnet.producer.enable.background.poll";
    private const string CancellationDelayMaxMs = "dotnet.cancellation.delay.max.ms";

    private static readonly string[] ConsumeFieldNames = ["headers", "timestamp", "topic", "all", "none"];
    private static readonly string[] DeliveryFieldNames = ["key", "value", "timestamp", "headers", "status", "all", "none"];

    /// <summary>True for a name Confluent.Kafka keeps for itself (whether or not it knows it).</summary>
    public static bool IsConfluentSetting(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>What is wrong with a <c>dotnet.</c> setting, or null when Confluent.Kafka accepts it and KafkaTyped works with it.</summary>
    public static string? Problem(string name, string value) => name switch
    {
        ConsumeResultFields => FieldListProblem(value, ConsumeFieldNames),
        DeliveryReportFields => FieldListProblem(value, DeliveryFieldNames),
        EnableDeliveryReports or EnableBackgroundPoll => BooleanProblem(value)
            ?? (string.Equals(value.Trim(), "false", StringComparison.OrdinalIgnoreCase)
                ? "KafkaTyped's producers complete each send from its delivery report, so sends would never complete. Remove it"
                : null),
        CancellationDelayMaxMs => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is >= 1 and <= 10000
            ? null
            : "it must be a whole number of milliseconds from 1 to 10000",
        _ => $"Confluent.Kafka has no such setting (it knows {ConsumeResultFields}, {DeliveryReportFields}, {EnableDeliveryReports}, {EnableBackgroundPoll} and {CancellationDelayMaxMs})",
    };

    /// <summary>
    /// <paramref name="fields"/> (a consume-result field list) with the topic name added, for a consumer that needs to know
    /// each record's topic; unchanged when it already has it.
    /// </summary>
    public static string WithTopic(string fields)
    {
        var names = Split(fields);
        if (names.Contains("all") || names.Contains("topic"))
        {
            return fields;
        }

        names.Remove("none");
        names.Add("topic");
        return string.Join(',', names);
    }

    private static List<string> Split(string fields) =>
        [.. fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(static f => f.ToLowerInvariant())];

    private static string? FieldListProblem(string value, string[] allowed)
    {
        var names = Split(value);
        var unknown = names.Where(name => !allowed.Contains(name)).ToList();
        if (names.Count == 0 || unknown.Count > 0)
        {
            var shown = unknown.Count > 0 ? $"'{string.Join("', '", unknown)}' is not one of them" : "it is empty";
            return $"it takes a comma-separated list of {string.Join(", ", allowed)}; {shown}";
        }

        return null;
    }

    private static string? BooleanProblem(string value) =>
        bool.TryParse(value.Trim(), out _) ? null : "it must be true or false";
}
