using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using KafkaTyped.Cli.Kafka;
using KafkaTyped.Cli.Protobuf;
using KafkaTyped.Protobuf;

namespace KafkaTyped.Cli.Commands;

/// <summary>
/// <c>kafkatyped produce &lt;topic&gt;</c>: JSON in, Confluent-framed Protobuf out, with the schema id and message index a
/// generated producer writes.
/// </summary>
internal static class ProduceCommand
{
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic." };
        var value = new Argument<string?>("value") { Description = "The message as JSON. Without it, JSON lines are read from stdin, one record each.", Arity = ArgumentArity.ZeroOrOne };
        var type = new Option<string?>("--type", "-t") { Description = "The message type of the topic's set (full or simple name); needed when the set has several." };
        var key = new Option<string?>("--key", "-k") { Description = "The record key (default: the message's [Key] with --assembly, else none)." };
        var keyType = new Option<string?>("--key-type") { Description = "How --key is encoded: string (UTF-8, default), int, long (big-endian), guid, base64." };
        var headers = new Option<string[]>("--header", "-H") { Description = "A header key=value (repeatable)." };
        var partition = new Option<int?>("--partition") { Description = "Write to this partition instead of partitioning by key (murmur2, like the Java client)." };
        var assembly = new Option<string?>("--assembly", "-a") { Description = "The application's assembly: its message set for the topic is registered and used, as its generated producer does." };
        var subject = new Option<string?>("--subject") { Description = "The subject whose latest schema is used (default {topic}-value)." };
        var envelope = new Option<bool>("--envelope") { Description = "Each input is {\"key\",\"type\",\"headers\",\"partition\",\"value\"}, as 'consume --json' prints." };
        var command = new Command("produce", "Produce typed records: JSON in, framed and registered as a generated producer would.")
        {
            topic, value, type, key, keyType, headers, partition, assembly, subject, envelope,
        };
        command.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, cancellation) => RunAsync(context, new Request(
            parse.GetValue(topic)!, parse.GetValue(value), parse.GetValue(type), parse.GetValue(key), parse.GetValue(keyType),
            parse.GetValue(headers) ?? [], parse.GetValue(partition), parse.GetValue(assembly), parse.GetValue(subject), parse.GetValue(envelope)), cancellation)));
        return command;
    }

    private sealed record Request(string Topic, string? Value, string? Type, string? Key, string? KeyType, string[] Headers, int? Partition, string? Assembly, string? Subject, bool Envelope);

    private static async Task<int> RunAsync(CliContext context, Request request, CancellationToken cancellationToken)
    {
        var headers = new List<(string, string)>();
        foreach (var header in request.Headers)
        {
            var parts = header.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new CliException($"--header expects key=value, got '{header}'.", ExitCodes.Usage);
            }

            headers.Add((parts[0], parts[1]));
        }

        using (var admin = new KafkaAdmin(context))
        {
            var metadata = admin.RequireTopic(request.Topic);
            if (request.Partition is { } p && (p < 0 || p >= metadata.Partitions.Count))
            {
                throw new CliException($"Topic '{request.Topic}' has partitions 0 to {metadata.Partitions.Count - 1}; --partition {p} is not one of them.", ExitCodes.Usage);
            }
        }

        var schema = await TopicSchema.ResolveAsync(context, request.Topic, request.Subject, request.Assembly).ConfigureAwait(false);
        var config = context.CreateProducerConfig();
        config.Partitioner ??= Partitioner.Murmur2Random;
        using var producer = new ProducerBuilder<byte[]?, byte[]>(config).SetLogHandler(static (_, _) => { }).SetErrorHandler(static (_, _) => { }).Build();

        var produced = 0;
        var line = 0;
        foreach (var input in Inputs(request.Value))
        {
            cancellationToken.ThrowIfCancellationRequested();
            line++;
            if (string.IsNullOrWhiteSpace(input))
            {
                continue;
            }

            var record = Prepare(schema, request, headers, input, line);
            var message = new Message<byte[]?, byte[]> { Key = record.Key, Value = record.Value, Headers = record.Headers };
            DeliveryResult<byte[]?, byte[]> delivered;
            try
            {
                delivered = record.Partition is { } partition
                    ? await producer.ProduceAsync(new TopicPartition(request.Topic, partition), message, cancellationToken).ConfigureAwait(false)
                    : await producer.ProduceAsync(request.Topic, message, cancellationToken).ConfigureAwait(false);
            }
            catch (ProduceException<byte[]?, byte[]> e)
            {
                throw new CliException($"Record {line} could not be produced to '{request.Topic}' ({produced} produced before it): {e.Error.Reason}", e.Error.IsLocalError ? ExitCodes.Unavailable : ExitCodes.Failed, e);
            }

            produced++;
            if (context.Output.Json)
            {
                var json = new JsonObject
                {
                    ["topic"] = delivered.Topic,
                    ["partition"] = delivered.Partition.Value,
                    ["offset"] = delivered.Offset.Value,
                };
                RecordJson.AddBytes(json, "key", record.Key);
                json["type"] = record.Type.Descriptor.FullName;
                json["schemaId"] = record.Type.SchemaId;
                context.Output.WriteJsonLine(json);
            }
            else
            {
                var keyText = record.Key is null ? "no key" : "key " + KeyText(record.Key);
                context.Output.WriteLine($"{delivered.Topic}[{delivered.Partition.Value}]@{delivered.Offset.Value} {record.Type.Descriptor.FullName} ({keyText}, schema id {record.Type.SchemaId})");
            }
        }

        if (produced == 0 && request.Value is null)
        {
            throw new CliException("No input: pass the message as an argument or JSON lines on stdin.", ExitCodes.Usage);
        }

        context.Output.Info($"Produced {produced} record(s) to '{request.Topic}' with {schema.Source}.");
        return ExitCodes.Ok;
    }

    private sealed record Prepared(byte[]? Key, byte[] Value, Headers Headers, int? Partition, FramedType Type);

    private static Prepared Prepare(TopicSchema schema, Request request, List<(string, string)> headers, string input, int line)
    {
        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(input);
            json = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CliException($"Record {line}: malformed JSON: {e.Message}", ExitCodes.Usage, e);
        }

        var type = request.Type;
        var keyText = request.Key;
        var keyType = request.KeyType;
        var partition = request.Partition;
        var recordHeaders = new Headers();
        foreach (var (k, v) in headers)
        {
            recordHeaders.Add(k, Encoding.UTF8.GetBytes(v));
        }

        var valueJson = json;
        if (request.Envelope)
        {
            if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("value", out valueJson))
            {
                throw new CliException($"Record {line}: with --envelope each input is an object with a \"value\".", ExitCodes.Usage);
            }

            if (json.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String)
            {
                type = t.GetString();
            }

            if (json.TryGetProperty("key", out var k) && k.ValueKind != JsonValueKind.Null)
            {
                keyText = k.ValueKind == JsonValueKind.String ? k.GetString() : k.GetRawText();
                if (json.TryGetProperty("keyEncoding", out var encoding) && encoding.GetString() == "base64")
                {
                    keyType = "base64";
                }
            }

            if (json.TryGetProperty("partition", out var p) && p.ValueKind == JsonValueKind.Number && request.Partition is null)
            {
                partition = p.GetInt32();
            }

            if (json.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in h.EnumerateObject())
                {
                    foreach (var item in header.Value.ValueKind == JsonValueKind.Array ? header.Value.EnumerateArray().ToArray() : [header.Value])
                    {
                        recordHeaders.Add(header.Name, item.ValueKind == JsonValueKind.Null ? null : Encoding.UTF8.GetBytes(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText()));
                    }
                }
            }
        }

        var framed = schema.Find(type);
        byte[] payload;
        try
        {
            payload = ProtoJsonWriter.Write(framed.Descriptor, valueJson);
        }
        catch (FormatException e)
        {
            throw new CliException($"Record {line}: the JSON does not fit {framed.Descriptor.FullName}: {e.Message}", ExitCodes.Usage, e);
        }

        var key = keyText is null ? schema.DefaultKey(framed, payload) : EncodeKey(keyText, keyType ?? schema.KeyType(framed) ?? "string", line);
        return new Prepared(key, framed.Frame(payload), recordHeaders, partition, framed);
    }

    /// <summary>Encodes a key as KafkaTyped's generated producers do (<see cref="KafkaKeyEncoding"/>).</summary>
    private static byte[] EncodeKey(string text, string keyType, int line)
    {
        try
        {
            return keyType.ToLowerInvariant() switch
            {
                "string" => KafkaKeyEncoding.Encode(text)!,
                "int" => KafkaKeyEncoding.Encode(int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)),
                "long" => KafkaKeyEncoding.Encode(long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)),
                "guid" => KafkaKeyEncoding.Encode(Guid.Parse(text, CultureInfo.InvariantCulture)),
                "base64" => Convert.FromBase64String(text),
                _ => throw new CliException($"--key-type is string, int, long, guid or base64, not '{keyType}'.", ExitCodes.Usage),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new CliException($"Record {line}: key '{text}' is not a valid {keyType}.", ExitCodes.Usage, e);
        }
    }

    private static string KeyText(byte[] key)
    {
        var json = new JsonObject();
        RecordJson.AddBytes(json, "key", key);
        return json["key"]!.GetValue<string>();
    }

    private static IEnumerable<string> Inputs(string? value)
    {
        if (value is not null)
        {
            yield return value;
            yield break;
        }

        if (!Console.IsInputRedirected)
        {
            Console.Error.WriteLine("Reading JSON lines from stdin (one record each; Ctrl-D ends).");
        }

        while (Console.In.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
