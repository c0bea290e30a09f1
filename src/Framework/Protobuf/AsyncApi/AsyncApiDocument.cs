using System.Text;
using System.Text.Json.Nodes;

namespace KafkaTyped.GeneratedCode;

/// <summary>A topic as AsyncAPI sees it: a channel with the messages that travel on it.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partitions">Declared partitions, when known.</param>
/// <param name="Replicas">Declared replication factor, when known (and positive).</param>
/// <param name="Schema">The <c>.proto</c> text of the topic's message set.</param>
/// <param name="Subject">The registry subject of its values.</param>
/// <param name="Messages">The members, in message-index order.</param>
/// <param name="Produced">True when the described application writes the topic (generated producers exist per set).</param>
internal sealed record ApiTopic(string Topic, int? Partitions, int? Replicas, string Schema, string Subject, IReadOnlyList<ApiMessage> Messages, bool Produced);

/// <summary>A message type on a topic.</summary>
/// <param name="FullName">The Protobuf full name.</param>
/// <param name="KeyType">The CLR type of its <c>[Key]</c> (string, int, long, Guid), when known.</param>
internal sealed record ApiMessage(string FullName, string? KeyType)
{
    public string Name => FullName[(FullName.LastIndexOf('.') + 1)..];
}

/// <summary>A consumer group and the topics it reads.</summary>
internal sealed record ApiGroup(string GroupId, string Handler, IReadOnlyList<string> Topics);

/// <summary>
/// Builds an AsyncAPI 3.0.0 document of KafkaTyped topics: one channel per topic with its messages (payloads are the
/// Protobuf schema, framed in Confluent's wire format: the Kafka binding says so), a send operation per produced topic,
/// a receive operation per consumer group and topic with the group id in its Kafka binding, and the dead-letter channel
/// each group writes.
/// </summary>
internal static class AsyncApiDocument
{
    public const string ProtobufFormat = "application/vnd.google.protobuf;version=3";
    private const string ContentType = "application/vnd.google.protobuf";
    private const string KafkaBinding = "0.5.0";

    public static JsonObject Build(string title, string version, string description, IReadOnlyList<ApiTopic> topics, IReadOnlyList<ApiGroup> groups, string? bootstrapServers, string? registryUrl, string deadLetterSuffix = ".dlq")
    {
        var channels = new JsonObject();
        var operations = new JsonObject();
        var messages = new JsonObject();
        var byTopic = topics.ToDictionary(t => t.Topic, StringComparer.Ordinal);

        foreach (var topic in topics.OrderBy(t => t.Topic, StringComparer.Ordinal))
        {
            AddChannel(channels, messages, topic, topic.Topic, deadLetter: false);
            if (topic.Produced)
            {
                operations[Id("send_" + topic.Topic)] = Operation("send", topic, topic.Topic, $"The application writes {topic.Topic} with its generated producer.", group: null);
            }
        }

        foreach (var group in groups.OrderBy(g => g.GroupId, StringComparer.Ordinal))
        {
            foreach (var name in group.Topics.Distinct(StringComparer.Ordinal))
            {
                if (!byTopic.TryGetValue(name, out var topic))
                {
                    continue;
                }

                operations[Id(group.GroupId + "_receive_" + name)] = Operation("receive", topic, name, $"Consumer group {group.GroupId} ({group.Handler}) reads {name}.", group.GroupId);
                var deadLetters = name + deadLetterSuffix;
                if (!channels.ContainsKey(Id(deadLetters)))
                {
                    AddChannel(channels, messages, topic, deadLetters, deadLetter: true);
                }

                operations[Id(group.GroupId + "_send_" + deadLetters)] = Operation("send", topic, deadLetters, $"Consumer group {group.GroupId} writes the records it gives up on to {deadLetters}, with error headers.", group.GroupId);
            }
        }

        var document = new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = title, ["version"] = version, ["description"] = description },
        };
        if (bootstrapServers is not null)
        {
            var server = new JsonObject { ["host"] = bootstrapServers.Split(',')[0], ["protocol"] = "kafka", ["description"] = "Bootstrap servers: " + bootstrapServers };
            if (registryUrl is not null)
            {
                server["bindings"] = new JsonObject { ["kafka"] = new JsonObject { ["schemaRegistryUrl"] = registryUrl, ["schemaRegistryVendor"] = "confluent", ["bindingVersion"] = KafkaBinding } };
            }

            document["servers"] = new JsonObject { ["kafka"] = server };
        }

        document["defaultContentType"] = ContentType;
        document["channels"] = channels;
        document["operations"] = operations;
        document["components"] = new JsonObject { ["messages"] = messages, ["schemas"] = new JsonObject { ["DeadLetterHeaders"] = DeadLetterHeaders() } };
        return document;
    }

    private static void AddChannel(JsonObject channels, JsonObject components, ApiTopic topic, string address, bool deadLetter)
    {
        var channelMessages = new JsonObject();
        for (var i = 0; i < topic.Messages.Count; i++)
        {
            var message = topic.Messages[i];
            var componentId = Id(message.FullName) + (deadLetter ? "_deadLetter" : string.Empty);
            if (!components.ContainsKey(componentId))
            {
                components[componentId] = Message(topic, message, i, deadLetter);
            }

            channelMessages[Id(message.Name)] = new JsonObject { ["$ref"] = "#/components/messages/" + componentId };
        }

        var binding = new JsonObject { ["topic"] = address };
        if (topic.Partitions is > 0 && !deadLetter)
        {
            binding["partitions"] = topic.Partitions;
        }

        if (topic.Replicas is > 0 && !deadLetter)
        {
            binding["replicas"] = topic.Replicas;
        }

        binding["bindingVersion"] = KafkaBinding;
        channels[Id(address)] = new JsonObject
        {
            ["address"] = address,
            ["title"] = address,
            ["description"] = deadLetter
                ? $"Dead letters of {topic.Topic}: the original key, value and headers, plus kafkatyped.* error headers."
                : $"Topic {topic.Topic}: {topic.Messages.Count} message type(s), values registered under subject {topic.Subject}.",
            ["messages"] = channelMessages,
            ["bindings"] = new JsonObject { ["kafka"] = binding },
        };
    }

    private static JsonObject Message(ApiTopic topic, ApiMessage message, int index, bool deadLetter)
    {
        var binding = new JsonObject();
        if (KeySchema(message.KeyType) is { } key)
        {
            binding["key"] = key;
        }

        binding["schemaIdLocation"] = "payload";
        binding["schemaIdPayloadEncoding"] = "confluent";
        binding["schemaLookupStrategy"] = "TopicIdStrategy";
        binding["bindingVersion"] = KafkaBinding;
        var result = new JsonObject
        {
            ["name"] = message.Name,
            ["title"] = message.FullName,
            ["summary"] = deadLetter ? $"{message.FullName}, dead-lettered from {topic.Topic}." : $"{message.FullName} on {topic.Topic} (message index {index}).",
            ["contentType"] = ContentType,
            ["payload"] = new JsonObject { ["schemaFormat"] = ProtobufFormat, ["schema"] = topic.Schema },
            ["bindings"] = new JsonObject { ["kafka"] = binding },
            ["x-kafkatyped-message"] = message.FullName,
            ["x-kafkatyped-message-index"] = index,
            ["x-kafkatyped-subject"] = topic.Subject,
        };
        if (deadLetter)
        {
            result["headers"] = new JsonObject { ["$ref"] = "#/components/schemas/DeadLetterHeaders" };
        }

        return result;
    }

    private static JsonObject Operation(string action, ApiTopic topic, string address, string description, string? group)
    {
        var operation = new JsonObject
        {
            ["action"] = action,
            ["channel"] = new JsonObject { ["$ref"] = "#/channels/" + Id(address) },
            ["description"] = description,
            ["messages"] = new JsonArray(topic.Messages.Select(m => (JsonNode)new JsonObject { ["$ref"] = $"#/channels/{Id(address)}/messages/{Id(m.Name)}" }).ToArray()),
        };
        if (group is not null)
        {
            operation["bindings"] = new JsonObject
            {
                ["kafka"] = new JsonObject
                {
                    ["groupId"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(group) },
                    ["bindingVersion"] = KafkaBinding,
                },
            };
        }

        return operation;
    }

    private static JsonObject DeadLetterHeaders()
    {
        var properties = new JsonObject();
        foreach (var (name, text) in new[]
        {
            ("kafkatyped.error.type", "The exception's full type name."),
            ("kafkatyped.error.message", "The exception's message (up to 4,000 characters)."),
            ("kafkatyped.original.topic", "The topic the record was consumed from."),
            ("kafkatyped.original.partition", "Its partition."),
            ("kafkatyped.original.offset", "Its offset."),
            ("kafkatyped.attempts", "Dispatch attempts made."),
            ("kafkatyped.consumer.group", "The consumer group that gave up on it."),
            ("kafkatyped.failed.at", "When, ISO 8601 UTC."),
        })
        {
            properties[name] = new JsonObject { ["type"] = "string", ["description"] = text };
        }

        return new JsonObject { ["type"] = "object", ["description"] = "Headers KafkaTyped adds to a dead letter (UTF-8 text).", ["properties"] = properties };
    }

    private static JsonObject? KeySchema(string? clrType) => clrType switch
    {
        "string" => new JsonObject { ["type"] = "string", ["description"] = "UTF-8" },
        "int" => new JsonObject { ["type"] = "integer", ["format"] = "int32", ["description"] = "4 bytes big-endian" },
        "long" => new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "8 bytes big-endian" },
        "Guid" => new JsonObject { ["type"] = "string", ["format"] = "uuid", ["description"] = "16 bytes, RFC 4122 order" },
        _ => null,
    };

    /// <summary>AsyncAPI ids (components, channels, operations) match <c>^[\w\d.\-_]+$</c>.</summary>
    internal static string Id(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        return builder.ToString();
    }
}
