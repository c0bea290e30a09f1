using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.SchemaRegistry;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.SchemaRegistry.Confluent;
using KafkaTyped.Serialization;
using KafkaTyped.Tests.Protos;
using KafkaTyped.Tests.Protos.Billing;
using KafkaTyped.Tests.Protos.Shop;
using static KafkaTyped.IntegrationTests.SchemaRegistry.RegistryTestHelpers;
using ConfluentException = Confluent.SchemaRegistry.SchemaRegistryException;
using ConfluentSchema = Confluent.SchemaRegistry.Schema;
using ConfluentReference = Confluent.SchemaRegistry.SchemaReference;
using KafkaTypedException = KafkaTyped.SchemaRegistry.SchemaRegistryException;

namespace KafkaTyped.IntegrationTests.SchemaRegistry;

/// <summary>
/// The embedded registry driven by an independent client, Confluent.SchemaRegistry 2.16, and by raw HTTP where that
/// client has no call (deletes, modes, id endpoints): Confluent's API as its reference documents it.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class ConfluentClientConformanceTests(EmbeddedClusterFixture fixture)
{
    private const string JsonType = "application/vnd.schemaregistry.v1+json";

    private static string ProtoText(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protos", file));

    private static ConfluentSchema Proto(string text, params ConfluentReference[] references) => new(text, [.. references], SchemaType.Protobuf);

    private static FileDescriptorProto Parse(string base64) => FileDescriptorProto.Parser.ParseFrom(Convert.FromBase64String(base64));

    /// <summary>What the registry serves for a protoc-generated file: the same descriptor, named "default" and without options (the canonical form keeps none).</summary>
    private static FileDescriptorProto Expected(FileDescriptor generated)
    {
        var expected = FileDescriptorProto.Parser.ParseFrom(generated.SerializedData);
        expected.Name = "default";
        expected.Options = null;
        return expected;
    }

    [Fact]
    public async Task Serialized_format_is_the_generated_descriptor_and_references_resolve_by_name()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var confluent = ConfluentClient(registry.Url);

        // Registered as Confluent's .NET serializer does: dependency first under its file name, then the referrer.
        var moneyId = await confluent.RegisterSchemaAsync("common/money.proto", Proto(ProtoText("common/money.proto")));
        var money = new ConfluentReference("common/money.proto", "common/money.proto", 1);
        var id = await confluent.RegisterSchemaAsync("payments-value", Proto(ProtoText("payments.proto"), money));

        var serialized = await confluent.GetSchemaAsync(id, "serialized");
        Assert.Equal(SchemaType.Protobuf, serialized.SchemaType);
        Assert.Equal(Expected(PaymentsReflection.Descriptor), Parse(serialized.SchemaString));
        Assert.Equal([money], serialized.References);

        // The reference, fetched the way Confluent's deserializers resolve it (by subject and version, serialized).
        using var http = new HttpClient();
        var dependency = await GetJsonAsync(http, $"{registry.Url}/subjects/common%2Fmoney.proto/versions/1?format=serialized");
        Assert.Equal(moneyId, dependency.GetProperty("id").GetInt32());
        Assert.Equal(Expected(KafkaTyped.Tests.Protos.Common.MoneyReflection.Descriptor), Parse(dependency.GetProperty("schema").GetString()!));

        // A deserializer builds real descriptors from those bytes, naming each dependency after its reference.
        var root = Parse(serialized.SchemaString);
        var moneyFile = Parse(dependency.GetProperty("schema").GetString()!);
        moneyFile.Name = "common/money.proto";
        var built = FileDescriptor.BuildFromByteStrings([
            Google.Protobuf.WellKnownTypes.Timestamp.Descriptor.File.SerializedData,
            moneyFile.ToByteString(),
            root.ToByteString()]);
        var paymentTaken = built[^1].MessageTypes[0];
        Assert.Equal("billing.PaymentTaken", paymentTaken.FullName);
        Assert.Equal("common.Money", paymentTaken.FindFieldByName("amount").MessageType.FullName);

        // The same bytes under a subject (Confluent's GetSchemaBySubjectAndIdAsync) and by lookup.
        Assert.Equal(serialized.SchemaString, (await confluent.GetSchemaBySubjectAndIdAsync("payments-value", id, "serialized")).SchemaString);
        using var lookup = new StringContent(JsonSerializer.Serialize(new { schemaType = "PROTOBUF", schema = ProtoText("payments.proto"), references = new[] { new { name = money.Name, subject = money.Subject, version = 1 } } }), Encoding.UTF8, JsonType);
        var found = await (await http.PostAsync($"{registry.Url}/subjects/payments-value?format=serialized", lookup)).Content.ReadAsStringAsync();
        Assert.Equal(serialized.SchemaString, JsonDocument.Parse(found).RootElement.GetProperty("schema").GetString());

        // Without the format the text comes back, and /schema answers it bare under the JSON content type.
        Assert.Contains("message PaymentTaken {", (await confluent.GetSchemaAsync(id)).SchemaString, StringComparison.Ordinal);
        using var raw = await http.GetAsync($"{registry.Url}/schemas/ids/{id}/schema?format=serialized");
        Assert.Equal(JsonType, raw.Content.Headers.ContentType?.MediaType);
        Assert.Equal(serialized.SchemaString, await raw.Content.ReadAsStringAsync());
        using var versionSchema = await http.GetAsync($"{registry.Url}/subjects/payments-value/versions/1/schema");
        Assert.Equal(JsonType, versionSchema.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("syntax = \"proto3\";", await versionSchema.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kafkatyped_record_is_read_with_the_descriptor_the_registry_serves()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var confluent = ConfluentClient(registry.Url);
        var registered = await new SchemaRegistration(ConfluentSchemaRegistry.Adapt(confluent)).RegisterAsync(TestMessageSets.Orders("orders"));
        var bytes = new ProtobufWireSerializer(registered).ToArray(1, new Envelope { Header = new Envelope.Types.Header { Trace = "t-1" } });

        // What Confluent's Protobuf deserializers do: id from the frame, schema by subject and id in serialized form,
        // message indexes into the file's messages, then a dynamic parse.
        var header = ConfluentWireFormat.ReadHeader(bytes);
        var schema = await confluent.GetSchemaBySubjectAndIdAsync("orders-value", header.SchemaId, "serialized");
        var file = FileDescriptor.BuildFromByteStrings([Parse(schema.SchemaString).ToByteString()])[0];
        var type = file.MessageTypes[header.Path.TopLevelIndex];
        Assert.Equal("shop.Envelope", type.FullName);
        Assert.Equal(["header.trace=t-1"], Decode(type, bytes.AsSpan(header.PayloadOffset).ToArray(), string.Empty));
    }

    /// <summary>A dynamic parse (Google.Protobuf has no DynamicMessage): every string field, named by the served descriptor.</summary>
    private static List<string> Decode(MessageDescriptor type, byte[] payload, string prefix)
    {
        var values = new List<string>();
        var input = new CodedInputStream(payload);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = type.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            Assert.NotNull(field);
            switch (field.FieldType)
            {
                case FieldType.Message:
                    values.AddRange(Decode(field.MessageType, input.ReadBytes().ToByteArray(), prefix + field.Name + "."));
                    break;
                case FieldType.String:
                    values.Add(prefix + field.Name + "=" + input.ReadString());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return values;
    }

    [Fact]
    public async Task Compatibility_against_latest_and_all_versions()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var confluent = ConfluentClient(registry.Url);
        await confluent.RegisterSchemaAsync("c-value", Proto(OrderV1));
        await confluent.RegisterSchemaAsync("c-value", Proto(OrderV1.Replace("int32 qty = 2;", string.Empty, StringComparison.Ordinal)));

        Assert.True(await confluent.IsCompatibleAsync("c-value", Proto(OrderV2)));
        Assert.True(await confluent.IsCompatibleAsync("c-value", Proto(OrderIncompatible))); // latest (v2) has no field 2
        var incompatible = await Assert.ThrowsAsync<ConfluentException>(() => confluent.RegisterSchemaAsync("c-value", Proto(OrderV1.Replace("int32 qty", "string qty", StringComparison.Ordinal).Replace("string id", "int64 id", StringComparison.Ordinal))));
        Assert.Equal(HttpStatusCode.Conflict, incompatible.Status);

        await confluent.UpdateCompatibilityAsync(Compatibility.BackwardTransitive, "c-value");
        Assert.Equal(Compatibility.BackwardTransitive, await confluent.GetCompatibilityAsync("c-value"));

        // POST /compatibility/subjects/{s}/versions checks what registration would: all versions when transitive.
        using var http = new HttpClient();
        var all = await PostJsonAsync(http, $"{registry.Url}/compatibility/subjects/c-value/versions?verbose=true", new { schemaType = "PROTOBUF", schema = OrderIncompatible });
        Assert.False(all.GetProperty("is_compatible").GetBoolean());
        Assert.Contains("version 1", all.GetProperty("messages")[0].GetString(), StringComparison.Ordinal);
        var latest = await PostJsonAsync(http, $"{registry.Url}/compatibility/subjects/c-value/versions/latest", new { schemaType = "PROTOBUF", schema = OrderIncompatible });
        Assert.True(latest.GetProperty("is_compatible").GetBoolean());
    }

    [Fact]
    public async Task Error_codes_and_messages_are_confluents()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var confluent = ConfluentClient(registry.Url);
        await confluent.RegisterSchemaAsync("e-value", Proto(OrderV1));

        async Task<ConfluentException> Fails(Func<Task> call) => await Assert.ThrowsAsync<ConfluentException>(call);

        Assert.Equal(40401, (await Fails(() => confluent.GetLatestSchemaAsync("missing"))).ErrorCode);
        var version = await Fails(() => confluent.GetRegisteredSchemaAsync("e-value", 7));
        Assert.Equal((40402, HttpStatusCode.NotFound), (version.ErrorCode, version.Status));
        Assert.Contains("Version 7 not found", version.Message, StringComparison.Ordinal);
        Assert.Equal(40403, (await Fails(() => confluent.GetSchemaAsync(99999))).ErrorCode);
        Assert.Equal(40403, (await Fails(() => confluent.LookupSchemaAsync("e-value", Proto(OrderV2), true))).ErrorCode);

        // An import no reference resolves is refused as an invalid schema, with or without other references.
        var unresolved = await Fails(() => confluent.RegisterSchemaAsync("x", Proto("syntax = \"proto3\";\nimport \"not/there.proto\";\nmessage A { string a = 1; }\n")));
        Assert.Equal((42201, HttpStatusCode.UnprocessableEntity), (unresolved.ErrorCode, unresolved.Status));
        Assert.Contains("not/there.proto", unresolved.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("x", await confluent.GetAllSubjectsAsync());

        // Well-known imports are built in and need no reference.
        Assert.True(await confluent.RegisterSchemaAsync("w-value", Proto("syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nmessage W { google.protobuf.Timestamp at = 1; }\n")) > 0);

        using var http = new HttpClient();
        using var avro = new StringContent("""{"schema":"{\"type\":\"string\"}"}""", Encoding.UTF8, JsonType);
        var refused = await http.PostAsync($"{registry.Url}/subjects/a-value/versions", avro);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(42201, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetInt32());
        Assert.Equal(JsonType, refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Id_endpoints_schema_list_referencedby_and_contexts()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var confluent = ConfluentClient(registry.Url);
        var moneyId = await confluent.RegisterSchemaAsync("common/money.proto", Proto(ProtoText("common/money.proto")));
        var money = new ConfluentReference("common/money.proto", "common/money.proto", 1);
        var a = await confluent.RegisterSchemaAsync("a-value", Proto(ProtoText("payments.proto"), money));
        Assert.Equal(a, await confluent.RegisterSchemaAsync("b-value", Proto(ProtoText("payments.proto"), money)));

        using var http = new HttpClient();
        Assert.Equal("""["a-value","b-value"]""", await http.GetStringAsync($"{registry.Url}/schemas/ids/{a}/subjects"));
        Assert.Equal("""[{"subject":"a-value","version":1},{"subject":"b-value","version":1}]""", await http.GetStringAsync($"{registry.Url}/schemas/ids/{a}/versions"));
        Assert.Equal($"[{a}]", await http.GetStringAsync($"{registry.Url}/subjects/common%2Fmoney.proto/versions/1/referencedby"));
        Assert.Equal("""["."]""", await http.GetStringAsync($"{registry.Url}/contexts"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"{registry.Url}/schemas/ids/4242/subjects")).StatusCode);

        var list = JsonDocument.Parse(await http.GetStringAsync($"{registry.Url}/schemas?subjectPrefix=common")).RootElement;
        Assert.Equal(1, list.GetArrayLength());
        Assert.Equal((moneyId, "common/money.proto", 1), (list[0].GetProperty("id").GetInt32(), list[0].GetProperty("subject").GetString(), list[0].GetProperty("version").GetInt32()));
        Assert.Equal(3, JsonDocument.Parse(await http.GetStringAsync($"{registry.Url}/schemas")).RootElement.GetArrayLength());

        // A referenced version cannot be deleted (42206) until its referrers are gone.
        var referenced = await http.DeleteAsync($"{registry.Url}/subjects/common%2Fmoney.proto/versions/1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, referenced.StatusCode);
        Assert.Equal(42206, JsonDocument.Parse(await referenced.Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetInt32());
    }

    [Fact]
    public async Task Soft_and_permanent_deletes_of_subjects_and_versions()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var confluent = ConfluentClient(registry.Url);
        var v1 = await confluent.RegisterSchemaAsync("d-value", Proto(OrderV1));
        await confluent.RegisterSchemaAsync("d-value", Proto(OrderV2));
        using var http = new HttpClient();

        Assert.Equal("2", await (await http.DeleteAsync($"{registry.Url}/subjects/d-value/versions/2")).Content.ReadAsStringAsync());
        Assert.Equal([1], await confluent.GetSubjectVersionsAsync("d-value"));
        Assert.Equal("[1,2]", await http.GetStringAsync($"{registry.Url}/subjects/d-value/versions?deleted=true"));
        Assert.Equal("[2]", await http.GetStringAsync($"{registry.Url}/subjects/d-value/versions?deletedOnly=true"));
        Assert.Equal(40406, await ErrorCodeAsync(await http.DeleteAsync($"{registry.Url}/subjects/d-value/versions/2")));
        Assert.Equal(40407, await ErrorCodeAsync(await http.DeleteAsync($"{registry.Url}/subjects/d-value/versions/1?permanent=true")));
        Assert.Equal("2", await (await http.DeleteAsync($"{registry.Url}/subjects/d-value/versions/2?permanent=true")).Content.ReadAsStringAsync());

        Assert.Equal(40405, await ErrorCodeAsync(await http.DeleteAsync($"{registry.Url}/subjects/d-value?permanent=true")));
        Assert.Equal("[1]", await (await http.DeleteAsync($"{registry.Url}/subjects/d-value")).Content.ReadAsStringAsync());
        Assert.DoesNotContain("d-value", await confluent.GetAllSubjectsAsync());
        Assert.Equal(40404, await ErrorCodeAsync(await http.DeleteAsync($"{registry.Url}/subjects/d-value")));
        Assert.Equal("[1]", await (await http.DeleteAsync($"{registry.Url}/subjects/d-value?permanent=true")).Content.ReadAsStringAsync());
        Assert.Equal(40401, (await Assert.ThrowsAsync<ConfluentException>(() => confluent.GetSubjectVersionsAsync("d-value"))).ErrorCode);

        // The id stays readable: records written with it still decode.
        Assert.Contains("message Order {", (await confluent.GetSchemaAsync(v1)).SchemaString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Modes_read_only_and_import_at_a_given_id()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var confluent = ConfluentClient(registry.Url);
        using var http = new HttpClient();
        Assert.Equal("""{"mode":"READWRITE"}""", await http.GetStringAsync($"{registry.Url}/mode"));
        Assert.Equal(40409, await ErrorCodeAsync(await http.GetAsync($"{registry.Url}/mode/m-value")));
        Assert.Equal(42204, await ErrorCodeAsync(await PutAsync(http, $"{registry.Url}/mode", """{"mode":"SIDEWAYS"}""")));

        await confluent.RegisterSchemaAsync("m-value", Proto(OrderV1));
        Assert.Equal("""{"mode":"READONLY"}""", await (await PutAsync(http, $"{registry.Url}/mode/m-value", """{"mode":"READONLY"}""")).Content.ReadAsStringAsync());
        Assert.Equal("""{"mode":"READONLY"}""", await http.GetStringAsync($"{registry.Url}/mode/m-value"));
        var readOnly = await Assert.ThrowsAsync<ConfluentException>(() => confluent.RegisterSchemaAsync("m-value", Proto(OrderV2)));
        Assert.Equal(42205, readOnly.ErrorCode);
        Assert.Contains("read-only", readOnly.Message, StringComparison.Ordinal);
        Assert.Equal(42205, await ErrorCodeAsync(await http.DeleteAsync($"{registry.Url}/subjects/m-value")));
        Assert.Equal("""{"mode":"READONLY"}""", await (await http.DeleteAsync($"{registry.Url}/mode/m-value")).Content.ReadAsStringAsync());

        // IMPORT needs an empty registry (or force), then takes schemas at the ids and versions given.
        Assert.Equal(42205, await ErrorCodeAsync(await PutAsync(http, $"{registry.Url}/mode", """{"mode":"IMPORT"}""")));
        Assert.Equal("""{"mode":"IMPORT"}""", await (await PutAsync(http, $"{registry.Url}/mode?force=true", """{"mode":"IMPORT"}""")).Content.ReadAsStringAsync());
        var imported = await PostJsonAsync(http, $"{registry.Url}/subjects/i-value/versions", new { schemaType = "PROTOBUF", schema = OrderV2, id = 500, version = 3 });
        Assert.Equal(500, imported.GetProperty("id").GetInt32());
        Assert.Equal(42205, await ErrorCodeAsync(await http.PostAsync($"{registry.Url}/subjects/j-value/versions", Json(new { schemaType = "PROTOBUF", schema = OrderIncompatible }))));
        Assert.Equal(42205, await ErrorCodeAsync(await http.PostAsync($"{registry.Url}/subjects/j-value/versions", Json(new { schemaType = "PROTOBUF", schema = OrderIncompatible, id = 500 }))));

        await http.PutAsync($"{registry.Url}/mode", Json(new { mode = "READWRITE" }));
        var registered = await confluent.GetRegisteredSchemaAsync("i-value", 3);
        Assert.Equal((500, 3), (registered.Id, registered.Version));
        Assert.Equal(501, await confluent.RegisterSchemaAsync("k-value", Proto(OrderIncompatible))); // ids go on after the imported one
        Assert.Equal(42205, await ErrorCodeAsync(await http.PostAsync($"{registry.Url}/subjects/k-value/versions", Json(new { schemaType = "PROTOBUF", schema = OrderV1, id = 900 }))));
    }

    [Fact]
    public async Task Root_schema_types_and_deleting_subject_config_and_global_mode()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var confluent = ConfluentClient(registry.Url);
        using var http = new HttpClient();
        Assert.Equal("{}", await http.GetStringAsync(registry.Url + "/"));
        Assert.Equal("""["PROTOBUF"]""", await http.GetStringAsync($"{registry.Url}/schemas/types"));

        await confluent.UpdateCompatibilityAsync(Compatibility.Full, "cfg-value");
        Assert.Equal("""{"compatibilityLevel":"FULL"}""", await (await http.DeleteAsync($"{registry.Url}/config/cfg-value")).Content.ReadAsStringAsync());
        Assert.Equal(40408, await ErrorCodeAsync(await http.GetAsync($"{registry.Url}/config/cfg-value")));
        Assert.Equal("""{"compatibilityLevel":"BACKWARD"}""", await http.GetStringAsync($"{registry.Url}/config/cfg-value?defaultToGlobal=true"));

        await PutAsync(http, $"{registry.Url}/mode", """{"mode":"READONLY"}""");
        Assert.Equal("""{"mode":"READONLY"}""", await http.GetStringAsync($"{registry.Url}/mode/any-value?defaultToGlobal=true"));
        Assert.Equal("""{"mode":"READONLY"}""", await (await http.DeleteAsync($"{registry.Url}/mode")).Content.ReadAsStringAsync());
        Assert.Equal("""{"mode":"READWRITE"}""", await http.GetStringAsync($"{registry.Url}/mode"));
        Assert.Equal(404, await ErrorCodeAsync(await http.GetAsync($"{registry.Url}/exporters")));
    }

    [Fact]
    public async Task Credentials_reach_the_registry_through_confluents_client_and_stay_out_of_exceptions()
    {
        const string password = "s3cr3t-Pa55word";
        await using var registry = await StartRegistryAsync(fixture, configure: o => { o.BasicAuthUsername = "alice"; o.BasicAuthPassword = password; });
        using var good = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.Url, BasicAuthUserInfo = "alice:" + password, BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo });
        Assert.True(await ConfluentSchemaRegistry.Adapt(good).RegisterSchemaAsync("c-value", Text(OrderV1)) > 0);

        using var bad = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.Url, BasicAuthUserInfo = "alice:wrong-" + password, BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo, MaxRetries = 1, RetriesWaitMs = 20 });
        var rejected = await Assert.ThrowsAsync<KafkaTypedException>(() => ConfluentSchemaRegistry.Adapt(bad).GetSubjectsAsync());
        Assert.Equal(401, rejected.HttpStatus);
        Assert.DoesNotContain(password, rejected.ToString(), StringComparison.Ordinal);

        using var down = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = "http://127.0.0.1:1", BasicAuthUserInfo = "bob:" + password, BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo, MaxRetries = 1, RetriesWaitMs = 20 });
        var unreachable = await Assert.ThrowsAsync<KafkaTypedException>(async () => await ConfluentSchemaRegistry.Adapt(down).GetSchemaByIdAsync(1));
        Assert.Equal(KafkaTypedException.Unreachable, unreachable.ErrorCode);
        Assert.DoesNotContain(password, unreachable.ToString(), StringComparison.Ordinal);
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, JsonType);

    private static Task<HttpResponseMessage> PutAsync(HttpClient http, string url, string body) =>
        http.PutAsync(url, new StringContent(body, Encoding.UTF8, JsonType));

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string url) =>
        JsonDocument.Parse(await http.GetStringAsync(url)).RootElement;

    private static async Task<JsonElement> PostJsonAsync(HttpClient http, string url, object body)
    {
        using var response = await http.PostAsync(url, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: HTTP {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<int> ErrorCodeAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.False(response.IsSuccessStatusCode, $"expected an error, got HTTP {(int)response.StatusCode}");
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetInt32();
        }
    }
}
