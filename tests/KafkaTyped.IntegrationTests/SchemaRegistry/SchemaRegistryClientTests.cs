using System.Net;
using System.Text;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Embedded.SchemaRegistry;
using static KafkaTyped.IntegrationTests.SchemaRegistry.RegistryTestHelpers;

namespace KafkaTyped.IntegrationTests.SchemaRegistry;

/// <summary>The HTTP client against the embedded registry over real HTTP, the registry storing in the embedded cluster.</summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class SchemaRegistryClientTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task Register_is_idempotent_and_lookup_by_id_and_latest_agree()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var client = Client(registry.Url);

        var id = await client.RegisterSchemaAsync("orders-value", Text(OrderV1));
        using var fresh = Client(registry.Url);
        Assert.Equal(id, await fresh.RegisterSchemaAsync("orders-value", Text(OrderV1)));
        Assert.Equal([1], await fresh.GetVersionsAsync("orders-value"));

        var found = await fresh.LookupSchemaAsync("orders-value", Text(OrderV1));
        Assert.Equal((id, 1, "orders-value"), (found.Id, found.Version, found.Subject));
        Assert.Equal(Schema.Protobuf, found.Schema.SchemaType);
        Assert.Contains("message Order {", found.Schema.Text, StringComparison.Ordinal);

        var byId = await fresh.GetSchemaByIdAsync(id);
        Assert.Equal(found.Schema.Text, byId.Text);

        var v2 = await fresh.RegisterSchemaAsync("orders-value", Text(OrderV2));
        Assert.NotEqual(id, v2);
        var latest = await fresh.GetLatestSchemaAsync("orders-value");
        Assert.Equal((v2, 2), (latest.Id, latest.Version));
        Assert.Equal(id, (await fresh.GetSchemaAsync("orders-value", 1)).Id);
        Assert.Equal(["orders-value"], await fresh.GetSubjectsAsync());
    }

    [Fact]
    public async Task Same_schema_gets_the_same_id_under_another_subject_in_text_or_descriptor_form()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var client = Client(registry.Url);
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protos", "orders.proto"));
        var descriptor = Convert.ToBase64String(KafkaTyped.Tests.Protos.Shop.OrdersReflection.Descriptor.SerializedData.ToByteArray());

        var id = await client.RegisterSchemaAsync("a-value", Text(text));
        Assert.Equal(id, await client.RegisterSchemaAsync("b-value", Text(descriptor)));
        Assert.Equal(1, (await client.GetLatestSchemaAsync("b-value")).Version);
    }

    [Fact]
    public async Task Incompatible_change_is_rejected_with_409_and_the_reason()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var client = Client(registry.Url);
        await client.RegisterSchemaAsync("orders-value", Text(OrderV1));

        var check = await client.TestCompatibilityAsync("orders-value", Text(OrderIncompatible));
        Assert.False(check.IsCompatible);
        Assert.Contains(check.Messages, m => m.Contains("FIELD_SCALAR_KIND_CHANGED", StringComparison.Ordinal));
        Assert.True((await client.TestCompatibilityAsync("orders-value", Text(OrderV2))).IsCompatible);
        Assert.True((await client.TestCompatibilityAsync("no-such-subject", Text(OrderV2))).IsCompatible);

        var exception = await Assert.ThrowsAsync<SchemaRegistryException>(async () => await client.RegisterSchemaAsync("orders-value", Text(OrderIncompatible)));
        Assert.Equal(409, exception.ErrorCode);
        Assert.Equal(409, exception.HttpStatus);
        Assert.Contains("incompatible", exception.Message, StringComparison.Ordinal);

        await client.SetCompatibilityAsync(CompatibilityLevel.None, "orders-value");
        Assert.Equal(CompatibilityLevel.None, await client.GetCompatibilityAsync("orders-value", defaultToGlobal: false));
        await client.RegisterSchemaAsync("orders-value", Text(OrderIncompatible));
    }

    [Fact]
    public async Task Transitive_level_catches_reuse_of_a_removed_field_number()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var client = Client(registry.Url);
        await client.RegisterSchemaAsync("t-value", Text(OrderV1));
        await client.RegisterSchemaAsync("t-value", Text(OrderV1.Replace("int32 qty = 2;", string.Empty, StringComparison.Ordinal)));

        await client.SetCompatibilityAsync(CompatibilityLevel.BackwardTransitive, "t-value");
        var exception = await Assert.ThrowsAsync<SchemaRegistryException>(async () => await client.RegisterSchemaAsync("t-value", Text(OrderIncompatible)));
        Assert.Equal(409, exception.ErrorCode);
        Assert.Contains("version 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_error_codes_become_typed_exceptions()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var client = Client(registry.Url);
        await client.RegisterSchemaAsync("orders-value", Text(OrderV1));

        async Task<SchemaRegistryException> Fails(Func<Task> call) => await Assert.ThrowsAsync<SchemaRegistryException>(call);

        Assert.Equal(40401, (await Fails(() => client.GetLatestSchemaAsync("missing"))).ErrorCode);
        Assert.Equal(40402, (await Fails(() => client.GetSchemaAsync("orders-value", 7))).ErrorCode);
        Assert.Equal(40403, (await Fails(async () => await client.GetSchemaByIdAsync(99999))).ErrorCode);
        Assert.Equal(40403, (await Fails(async () => await client.LookupSchemaAsync("orders-value", Text(OrderV2)))).ErrorCode);
        Assert.Equal(40408, (await Fails(() => client.GetCompatibilityAsync("orders-value", defaultToGlobal: false))).ErrorCode);
        var invalid = await Fails(async () => await client.RegisterSchemaAsync("bad-value", Text("message {")));
        Assert.Equal((42201, 422), (invalid.ErrorCode, invalid.HttpStatus));
        Assert.Contains("Invalid schema", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compatibility_config_uses_the_asymmetric_json()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var http = new HttpClient();

        var get = await http.GetStringAsync(registry.Url + "/config");
        Assert.Equal("""{"compatibilityLevel":"BACKWARD"}""", get);

        using var body = new StringContent("""{"compatibility":"FULL_TRANSITIVE"}""", Encoding.UTF8, "application/vnd.schemaregistry.v1+json");
        var put = await http.PutAsync(registry.Url + "/config", body);
        Assert.Equal("""{"compatibility":"FULL_TRANSITIVE"}""", await put.Content.ReadAsStringAsync());

        using var client = Client(registry.Url);
        Assert.Equal(CompatibilityLevel.FullTransitive, await client.GetCompatibilityAsync());
        Assert.Equal(CompatibilityLevel.FullTransitive, await client.GetCompatibilityAsync("any-subject", defaultToGlobal: true));
        Assert.Equal(CompatibilityLevel.Forward, await client.SetCompatibilityAsync(CompatibilityLevel.Forward));
    }

    [Fact]
    public async Task Soft_then_permanent_delete()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var client = Client(registry.Url);
        var id = await client.RegisterSchemaAsync("d-value", Text(OrderV1));

        Assert.Equal(40405, (await Assert.ThrowsAsync<SchemaRegistryException>(() => client.DeleteSubjectAsync("d-value", permanent: true))).ErrorCode);
        Assert.Equal([1], await client.DeleteSubjectAsync("d-value"));
        Assert.Empty(await client.GetSubjectsAsync());
        Assert.Equal([1], await client.DeleteSubjectAsync("d-value", permanent: true));

        // The id stays bound to its schema: registering it again reuses it.
        using var fresh = Client(registry.Url);
        Assert.Equal(id, await fresh.RegisterSchemaAsync("d-value", Text(OrderV1)));
    }

    [Fact]
    public async Task References_are_resolved_through_their_subjects()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var client = Client(registry.Url);
        var money = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protos", "common", "money.proto"));
        var payments = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protos", "payments.proto"));

        var missing = await Assert.ThrowsAsync<SchemaRegistryException>(async () => await client.RegisterSchemaAsync("payments-value", Text(payments, new SchemaReference("common/money.proto", "common/money.proto", 1))));
        Assert.Equal(42201, missing.ErrorCode);

        await client.RegisterSchemaAsync("common/money.proto", Text(money));
        var id = await client.RegisterSchemaAsync("payments-value", Text(payments, new SchemaReference("common/money.proto", "common/money.proto", 1)));
        var byId = await client.GetSchemaByIdAsync(id);
        Assert.Equal(new SchemaReference("common/money.proto", "common/money.proto", 1), Assert.Single(byId.References));
        Assert.Contains("common.Money amount = 2;", byId.Text, StringComparison.Ordinal);
        Assert.Contains("common/money.proto", await client.GetSubjectsAsync());
    }

    [Fact]
    public async Task Fails_over_to_the_second_url_when_the_first_is_down()
    {
        await using var registry = await StartRegistryAsync(fixture);
        var down = "http://127.0.0.1:" + FreePort();
        using var client = Client(down, registry.Url);

        var id = await client.RegisterSchemaAsync("f-value", Text(OrderV1));
        Assert.True(id > 0);
        Assert.Equal([1], await client.GetVersionsAsync("f-value"));
    }

    [Fact]
    public async Task Fails_over_on_5xx_but_not_on_4xx()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var broken = new FixedAnswerServer(HttpStatusCode.InternalServerError, """{"error_code":50001,"message":"store error"}""");
        using var client = Client(broken.Url, registry.Url);
        Assert.True(await client.RegisterSchemaAsync("g-value", Text(OrderV1)) > 0);

        using var rejecting = new FixedAnswerServer(HttpStatusCode.UnprocessableEntity, """{"error_code":42201,"message":"nope"}""");
        using var conclusive = Client(rejecting.Url, registry.Url);
        var exception = await Assert.ThrowsAsync<SchemaRegistryException>(() => conclusive.GetSubjectsAsync());
        Assert.Equal(42201, exception.ErrorCode);

        using var allDown = Client(broken.Url);
        var unreachable = await Assert.ThrowsAsync<SchemaRegistryException>(() => allDown.GetSubjectsAsync());
        Assert.Equal(50001, unreachable.ErrorCode);
        Assert.Equal(500, unreachable.HttpStatus);
    }

    [Fact]
    public async Task Credentials_are_sent_and_never_appear_in_exceptions()
    {
        const string password = "s3cr3t-Pa55word";
        await using var registry = await StartRegistryAsync(fixture, configure: o => { o.BasicAuthUsername = "alice"; o.BasicAuthPassword = password; });

        using var good = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [registry.Url], BasicAuthUsername = "alice", BasicAuthPassword = password });
        Assert.True(await good.RegisterSchemaAsync("c-value", Text(OrderV1)) > 0);

        var withUserInfo = registry.Url.Replace("http://", "http://alice:" + password + "@", StringComparison.Ordinal);
        using var fromUrl = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [withUserInfo] });
        Assert.Equal(["c-value"], await fromUrl.GetSubjectsAsync());
        Assert.DoesNotContain(password, string.Join(",", fromUrl.Urls), StringComparison.Ordinal);

        using var bad = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [registry.Url.Replace("http://", "http://alice:wrong-" + password + "@", StringComparison.Ordinal)] });
        var rejected = await Assert.ThrowsAsync<SchemaRegistryException>(() => bad.GetSubjectsAsync());
        Assert.Equal(401, rejected.HttpStatus);
        Assert.DoesNotContain(password, rejected.ToString(), StringComparison.Ordinal);

        var down = "http://bob:" + password + "@127.0.0.1:" + FreePort();
        using var unreachable = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [down], MaxRetries = 0 });
        var failed = await Assert.ThrowsAsync<SchemaRegistryException>(() => unreachable.GetSubjectsAsync());
        Assert.Equal(SchemaRegistryException.Unreachable, failed.ErrorCode);
        Assert.DoesNotContain(password, failed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_token_is_sent_and_never_appears_in_exceptions()
    {
        const string token = "eyJ-token-value-1234";
        await using var registry = await StartRegistryAsync(fixture, configure: o => o.BearerToken = token);

        using var good = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [registry.Url], BearerToken = token });
        Assert.True(await good.RegisterSchemaAsync("b-value", Text(OrderV1)) > 0);

        using var bad = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [registry.Url], BearerToken = token + "-expired" });
        var rejected = await Assert.ThrowsAsync<SchemaRegistryException>(() => bad.GetSubjectsAsync());
        Assert.Equal(401, rejected.HttpStatus);
        Assert.DoesNotContain(token, rejected.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_url_that_never_answers_times_out_and_fails_over()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var hanging = new HangingServer();
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [hanging.Url, registry.Url], RequestTimeout = TimeSpan.FromMilliseconds(300), MaxRetries = 0 });

        Assert.Empty(await client.GetSubjectsAsync());

        using var onlyHanging = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [hanging.Url], RequestTimeout = TimeSpan.FromMilliseconds(200), MaxRetries = 1, RetryBackoff = TimeSpan.FromMilliseconds(10) });
        var exception = await Assert.ThrowsAsync<SchemaRegistryException>(() => onlyHanging.GetSubjectsAsync());
        Assert.Equal(SchemaRegistryException.OperationTimeout, exception.ErrorCode);
        Assert.Contains("2 rounds", exception.Message, StringComparison.Ordinal);

        // The caller's own cancellation is not swallowed into a registry error.
        using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var patient = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [hanging.Url], RequestTimeout = TimeSpan.FromSeconds(30) });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.GetSubjectsAsync(cancelled.Token));
    }

    [Fact]
    public async Task Two_registry_instances_on_one_cluster_agree_on_ids()
    {
        var topic = "_schemas-shared-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await StartRegistryAsync(fixture, topic);
        await using var second = await StartRegistryAsync(fixture, topic);
        using var a = Client(first.Url);
        using var b = Client(second.Url);

        var orderId = await a.RegisterSchemaAsync("orders-value", Text(OrderV1));
        Assert.Equal(orderId, await b.RegisterSchemaAsync("other-value", Text(OrderV1)));
        Assert.Equal(orderId, (await b.LookupSchemaAsync("orders-value", Text(OrderV1))).Id);

        // Concurrent writers through both instances: every schema ends with one id, distinct schemas distinct ids.
        var schemas = Enumerable.Range(0, 6).Select(i => Text($"syntax = \"proto3\"; package p{i}; message M {{ string s = 1; }}")).ToArray();
        var fromA = schemas.Select(s => a.RegisterSchemaAsync("concurrent-a", s).AsTask());
        var fromB = schemas.Select(s => b.RegisterSchemaAsync("concurrent-b", s).AsTask());
        var idsA = await Task.WhenAll(fromA);
        var idsB = await Task.WhenAll(fromB);
        Assert.Equal(idsA, idsB);
        Assert.Equal(schemas.Length, idsA.Distinct().Count());
        Assert.DoesNotContain(orderId, idsA);

        await using var third = await StartRegistryAsync(fixture, topic);
        using var c = Client(third.Url);
        Assert.Equal(idsA[3], (await c.LookupSchemaAsync("concurrent-b", schemas[3])).Id);
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A real HTTP server that accepts requests and never answers them.</summary>
    private sealed class HangingServer : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly List<HttpListenerContext> held = [];

        public HangingServer()
        {
            Url = "http://127.0.0.1:" + FreePort();
            listener.Prefixes.Add(Url + "/");
            listener.Start();
            _ = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    try
                    {
                        var context = await listener.GetContextAsync();
                        lock (held)
                        {
                            held.Add(context);
                        }
                    }
                    catch (Exception)
                    {
                        return;
                    }
                }
            });
        }

        public string Url { get; }

        public void Dispose() => listener.Close();
    }

    /// <summary>A real HTTP server that answers every request with one fixed status and body.</summary>
    private sealed class FixedAnswerServer : IDisposable
    {
        private readonly HttpListener listener = new();

        public FixedAnswerServer(HttpStatusCode status, string body)
        {
            Url = "http://127.0.0.1:" + FreePort();
            listener.Prefixes.Add(Url + "/");
            listener.Start();
            _ = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await listener.GetContextAsync();
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    var bytes = Encoding.UTF8.GetBytes(body);
                    context.Response.StatusCode = (int)status;
                    context.Response.ContentType = "application/vnd.schemaregistry.v1+json";
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public void Dispose() => listener.Close();
    }
}
