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

    // Confluent.Kafka's own parsing: spaces removed, then exactly "all" or "none", or a comma-separated list of these
    // lower-case names; anything else makes building the client throw.
    private static readonly string[] ConsumeFieldNames = ["headers", "timestamp", "topic"];
    private static readonly string[] DeliveryFieldNames = ["key", "value", "timestamp", "headers", "status"];

    /// <summary>
    /// Where a <c>dotnet.</c> setting may go, or null when it fits <paramref name="clients"/>: Confluent.Kafka refuses
    /// consumer settings in producers and admin clients, and producer settings in consumers and admin clients.
    /// </summary>
    public static string? PlacementProblem(string name, ClientKinds clients)
    {
        var consumerOnly = name.StartsWith("dotnet.consumer.", StringComparison.Ordinal);
        var producerOnly = name.StartsWith("dotnet.producer.", StringComparison.Ordinal);
        return (consumerOnly, producerOnly, clients) switch
        {
            (true, _, not ClientKinds.Consumers) => "Confluent.Kafka accepts it in consumers only and refuses it in producers and admin clients. Move it to KafkaTyped:ConsumerSettings (or a group's Settings)",
            (_, true, not ClientKinds.Producers) => "Confluent.Kafka accepts it in producers only and refuses it in consumers and admin clients. Move it to KafkaTyped:ProducerSettings",
            _ => null,
        };
    }

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
        var compact = fields.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (compact is "all" || compact.Split(',').Contains("topic"))
        {
            return compact;
        }

        return compact is "none" ? "topic" : compact + ",topic";
    }

    private static string? FieldListProblem(string value, string[] allowed)
    {
        var compact = value.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (compact is "all" or "none")
        {
            return null;
        }

        var unknown = compact.Split(',').Where(name => !allowed.Contains(name, StringComparer.Ordinal)).ToList();
        if (unknown.Count == 0)
        {
            return null;
        }

        var shown = unknown.Any(static name => name.Length == 0) ? "it has an empty entry" : $"'{string.Join("', '", unknown)}' is not one of them";
        return $"it takes all, none, or a comma-separated list of {string.Join(", ", allowed)} (lower case); {shown}";
    }

    private static string? BooleanProblem(string value) =>
        bool.TryParse(value.Trim(), out _) ? null : "it must be true or false";
}

/// <summary>Which clients a settings section configures.</summary>
internal enum ClientKinds
{
    /// <summary>Every client: producers, consumers and admin clients (<c>KafkaTyped:Settings</c>).</summary>
    All,

    /// <summary>Producers only (<c>KafkaTyped:ProducerSettings</c>).</summary>
    Producers,

    /// <summary>Consumers only (<c>KafkaTyped:ConsumerSettings</c>, a group's <c>Settings</c>).</summary>
    Consumers,
}
