using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Serialization;

namespace KafkaTyped.Cli.Protobuf;

/// <summary>
/// Renders a consumed record as JSON: topic, partition, offset, timestamp, key, headers, schema id, message type and the
/// value decoded with the schema the registry has for the record's id. A record that cannot be decoded keeps its raw
/// bytes (base64) and says why in <c>error</c>; a registry that cannot be reached stops the command.
/// </summary>
internal sealed class RecordJson(RegistrySchemas schemas)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<JsonObject> RenderAsync(ConsumeResult<byte[], byte[]> record)
    {
        var message = record.Message;
        var json = new JsonObject
        {
            ["topic"] = record.Topic,
            ["partition"] = record.Partition.Value,
            ["offset"] = record.Offset.Value,
            ["timestamp"] = message.Timestamp.Type == TimestampType.NotAvailable ? null : message.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        AddBytes(json, "key", message.Key);
        json["headers"] = Headers(message.Headers);

        var value = message.Value;
        if (value is null)
        {
            json["type"] = null;
            json["value"] = null;
            return json;
        }

        var error = ConfluentWireFormat.TryReadHeader(value, out var header);
        if (error != WireError.None)
        {
            json["type"] = null;
            json["value"] = null;
            json["error"] = $"the value is not in Confluent's wire format ({error})";
            json["raw"] = Convert.ToBase64String(value);
            return json;
        }

        json["schemaId"] = header.SchemaId;
        string? type = null;
        try
        {
            var set = await schemas.ByIdAsync(header.SchemaId).ConfigureAwait(false);
            var descriptor = set.FindByPath(header.Path.ToArray())
                ?? throw new CliException($"the message index path {header.Path} names no message in schema id {header.SchemaId}", ExitCodes.NotFound);
            type = descriptor.FullName;
            json["type"] = type;
            json["value"] = ProtoJsonReader.Read(descriptor, value.AsSpan(header.PayloadOffset));
        }
        catch (CliException e) when (e.ExitCode is ExitCodes.NotFound or ExitCodes.Failed)
        {
            json["type"] = type;
            json["value"] = null;
            json["error"] = e.Message;
            json["raw"] = Convert.ToBase64String(value);
        }
        catch (PayloadFormatException e)
        {
            json["type"] = type;
            json["value"] = null;
            json["error"] = $"the payload is not a valid {type}: {e.Message}";
            json["raw"] = Convert.ToBase64String(value);
        }

        return json;
    }

    /// <summary>Header values as UTF-8 text when they are, base64 otherwise; a repeated key becomes an array.</summary>
    public static JsonObject Headers(Headers? headers)
    {
        var result = new JsonObject();
        foreach (var header in headers ?? [])
        {
            var bytes = header.GetValueBytes();
            JsonNode? value = bytes is null ? null : JsonValue.Create(TryUtf8(bytes) ?? Convert.ToBase64String(bytes));
            if (result.TryGetPropertyValue(header.Key, out var existing))
            {
                if (existing is JsonArray array)
                {
                    array.Add(value);
                }
                else
                {
                    result[header.Key] = new JsonArray(existing?.DeepClone(), value);
                }
            }
            else
            {
                result[header.Key] = value;
            }
        }

        return result;
    }

    /// <summary>A header's value as text, or null.</summary>
    public static string? HeaderText(Headers? headers, string key) =>
        headers is not null && headers.TryGetLastBytes(key, out var bytes) && bytes is not null ? TryUtf8(bytes) : null;

    /// <summary>Keys print as text when they are printable UTF-8; otherwise as base64 with <c>keyEncoding</c> saying so.</summary>
    public static void AddBytes(JsonObject json, string name, byte[]? bytes)
    {
        if (bytes is null)
        {
            json[name] = null;
            return;
        }

        if (TryUtf8(bytes) is { } text && !text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
        {
            json[name] = text;
            return;
        }

        json[name] = Convert.ToBase64String(bytes);
        json[name + "Encoding"] = "base64";
    }

    private static string? TryUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
