using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;

namespace KafkaTyped.Cli.Protobuf;

/// <summary>
/// The proto3 JSON forms of the Google well-known types KafkaTyped messages use: Timestamp (RFC 3339), Duration
/// (<c>"1.5s"</c>) and the wrappers (the bare value). Other types keep their field-by-field form.
/// </summary>
internal static class WellKnownJson
{
    private const string Timestamp = "google.protobuf.Timestamp";
    private const string Duration = "google.protobuf.Duration";

    /// <summary>Turns the field-by-field JSON of a well-known message into its special form.</summary>
    public static bool TryFormat(MessageDescriptor descriptor, JsonObject raw, out JsonNode? formatted)
    {
        formatted = null;
        switch (descriptor.FullName)
        {
            case Timestamp:
                var time = DateTimeOffset.UnixEpoch.AddSeconds(Seconds(raw)).AddTicks(Nanos(raw) / 100);
                formatted = JsonValue.Create(time.UtcDateTime.ToString(Nanos(raw) == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                return true;
            case Duration:
                var seconds = Seconds(raw);
                var nanos = Nanos(raw);
                var text = nanos == 0
                    ? seconds.ToString(CultureInfo.InvariantCulture)
                    : (seconds + (nanos / 1e9m)).ToString("0.#########", CultureInfo.InvariantCulture);
                formatted = JsonValue.Create(text + "s");
                return true;
            default:
                if (IsWrapper(descriptor))
                {
                    formatted = raw["value"]?.DeepClone();
                    return true;
                }

                return false;
        }
    }

    /// <summary>Turns the special JSON form of a well-known message into field-by-field JSON, or null when it is not one.</summary>
    /// <exception cref="FormatException">The value is not in the type's JSON form.</exception>
    public static JsonObject? TryParse(MessageDescriptor descriptor, JsonElement value)
    {
        switch (descriptor.FullName)
        {
            case Timestamp when value.ValueKind == JsonValueKind.String:
                if (!DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    throw new FormatException($"expected an RFC 3339 time such as \"2026-01-31T12:00:00Z\", got \"{value.GetString()}\"");
                }

                var ticks = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
                var secs = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
                if (rest < 0)
                {
                    secs--;
                    rest += TimeSpan.TicksPerSecond;
                }

                return new JsonObject { ["seconds"] = secs.ToString(CultureInfo.InvariantCulture), ["nanos"] = (int)(rest * 100) };
            case Duration when value.ValueKind == JsonValueKind.String:
                var text = value.GetString()!;
                if (!text.EndsWith('s') || !decimal.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var total))
                {
                    throw new FormatException($"expected a duration such as \"1.5s\", got \"{text}\"");
                }

                var whole = decimal.Truncate(total);
                return new JsonObject { ["seconds"] = ((long)whole).ToString(CultureInfo.InvariantCulture), ["nanos"] = (int)((total - whole) * 1_000_000_000m) };
            default:
                return IsWrapper(descriptor) && value.ValueKind != JsonValueKind.Object
                    ? new JsonObject { ["value"] = JsonNode.Parse(value.GetRawText()) }
                    : null;
        }
    }

    private static bool IsWrapper(MessageDescriptor descriptor) =>
        descriptor.File.Name == "google/protobuf/wrappers.proto";

    private static long Seconds(JsonObject raw) =>
        raw["seconds"] is { } s ? long.Parse(s.GetValue<string>(), CultureInfo.InvariantCulture) : 0;

    private static int Nanos(JsonObject raw) => raw["nanos"] is { } n ? n.GetValue<int>() : 0;
}
