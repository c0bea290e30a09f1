using System.Globalization;
using System.Net;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using System.Text;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Embedded.SchemaRegistry;

/// <summary>
/// A Confluent-compatible Schema Registry served over HTTP on 127.0.0.1, storing schemas in a single-partition
/// <c>_schemas</c> topic on a Kafka cluster, so every instance and process on that cluster sees the same ids.
/// </summary>
/// <remarks>
/// <para>Serves the REST subset of PROTOCOLS.md §2 for PROTOBUF schemas: register, lookup, by id, versions, subjects,
/// compatibility tests, global and subject compatibility levels (BACKWARD by default) and deletes. Standard registry
/// clients and tools can use <see cref="Url"/>.</para>
/// <para>Thread-safe. Dispose to stop listening; the stored schemas stay in the topic.</para>
/// </remarks>
public sealed class EmbeddedSchemaRegistry : IAsyncDisposable, IDisposable
{
    private const string JsonContentType = "application/vnd.schemaregistry.v1+json";

    private readonly HttpListener listener;
    private readonly KafkaSchemaStore store;
    private readonly SchemaRegistryCore core;
    private readonly EmbeddedSchemaRegistryOptions options;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly string? expectedAuthorization;
    private Task? acceptLoop;
    private EmbeddedKafkaCluster? publishedOn;
    private int disposed;

    private EmbeddedSchemaRegistry(HttpListener listener, string url, KafkaSchemaStore store, EmbeddedSchemaRegistryOptions options, ILogger logger)
    {
        this.listener = listener;
        this.store = store;
        this.options = options;
        this.logger = logger;
        Url = url;
        core = new SchemaRegistryCore(store, options);
        if (!string.IsNullOrEmpty(options.BearerToken))
        {
            expectedAuthorization = "Bearer " + options.BearerToken;
        }
        else if (!string.IsNullOrEmpty(options.BasicAuthUsername))
        {
            expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(options.BasicAuthUsername + ":" + options.BasicAuthPassword));
        }
    }

    /// <summary>The base URL, for example <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    /// <summary>The topic the schemas are stored in.</summary>
    public string Topic => store.Topic;

    /// <summary>Starts a registry on an embedded cluster, creating the store topic with one partition if needed.</summary>
    public static Task<EmbeddedSchemaRegistry> StartAsync(EmbeddedKafkaCluster cluster, EmbeddedSchemaRegistryOptions? options = null, ILogger<EmbeddedSchemaRegistry>? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        options ??= new EmbeddedSchemaRegistryOptions();

        // Must precede any client touching the topic: the mock auto-creates unknown topics with 4 partitions.
        cluster.CreateTopic(options.Topic, 1);
        return StartOnAsync(cluster, options, logger, cancellationToken);
    }

    private static async Task<EmbeddedSchemaRegistry> StartOnAsync(EmbeddedKafkaCluster cluster, EmbeddedSchemaRegistryOptions options, ILogger<EmbeddedSchemaRegistry>? logger, CancellationToken cancellationToken)
    {
        var registry = await StartAsync(cluster.BootstrapServers, options, logger, cancellationToken).ConfigureAwait(false);

        // Processes that join the cluster through its bootstrap list find this registry without being told its URL.
        cluster.PublishRegistry(registry.Url, replacing: null);
        registry.publishedOn = cluster;
        return registry;
    }

    /// <summary>
    /// Starts a registry on any Kafka cluster. Create the store topic beforehand with one partition (compacted on a
    /// real cluster); the registry only ever uses partition 0.
    /// </summary>
    public static async Task<EmbeddedSchemaRegistry> StartAsync(string bootstrapServers, EmbeddedSchemaRegistryOptions? options = null, ILogger<EmbeddedSchemaRegistry>? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(bootstrapServers);
        options ??= new EmbeddedSchemaRegistryOptions();
        ILogger log = (ILogger?)logger ?? NullLogger.Instance;
        var store = await KafkaSchemaStore.OpenAsync(bootstrapServers, options.Topic, new Dictionary<string, string>(options.KafkaSettings), log, options.StoreTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            var (listener, url) = LoopbackHttpListener.Start(options.Port);
            var registry = new EmbeddedSchemaRegistry(listener, url, store, options, log);
            registry.acceptLoop = Task.Run(() => LoopbackHttpListener.AcceptAsync(registry.listener, registry.HandleAsync, registry.stopping.Token), CancellationToken.None);
            EmbeddedRegistryLog.EmbeddedStarted(log, url, options.Topic);
            return registry;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        publishedOn?.PublishRegistry(null, replacing: Url);
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Close();
        if (acceptLoop is not null)
        {
            await acceptLoop.ConfigureAwait(false);
        }

        store.Dispose();
        stopping.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            if (expectedAuthorization is not null && !string.Equals(request.Headers["Authorization"], expectedAuthorization, StringComparison.Ordinal))
            {
                response.AddHeader("WWW-Authenticate", (options.BearerToken is null ? "Basic" : "Bearer") + " realm=\"KafkaTyped\"");
                await WriteErrorAsync(response, 401, 401, "Unauthorized").ConfigureAwait(false);
                return;
            }

            var body = await ReadBodyAsync(request).ConfigureAwait(false);
            await RouteAsync(request, response, body, stopping.Token).ConfigureAwait(false);
        }
        catch (RegistryError error)
        {
            await WriteErrorAsync(response, error.HttpStatus, error.ErrorCode, error.Message).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(response, 422, 42201, "Invalid JSON body: " + ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await WriteErrorAsync(response, 503, 50002, "The registry is stopping").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            EmbeddedRegistryLog.EmbeddedRequestFailed(logger, ex, request.HttpMethod, request.Url?.AbsolutePath ?? "?");
            await WriteErrorAsync(response, 500, SchemaRegistryException.StoreError, "Internal error: " + ex.Message).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // client went away
            }
        }
    }

    private async Task RouteAsync(HttpListenerRequest request, HttpListenerResponse response, byte[] body, CancellationToken cancellationToken)
    {
        // Split the raw path before unescaping: subjects may contain an escaped '/' (file-name subjects of references).
        var raw = request.RawUrl ?? "/";
        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var pathPart = queryStart < 0 ? raw : raw[..queryStart];
        var segments = pathPart.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var query = request.QueryString;
        var method = request.HttpMethod;
        var ctx = SchemaRegistryJsonContext.Default;

        switch (segments)
        {
            case []:
                await WriteAsync(response, "{}"u8.ToArray()).ConfigureAwait(false);
                return;
            case ["subjects"] when method == "GET":
                await WriteJsonAsync(response, core.GetSubjects(query["subjectPrefix"] ?? string.Empty, Flag(query, "deleted"), Flag(query, "deletedOnly")), ctx.ListString).ConfigureAwait(false);
                return;
            case ["subjects", var subject] when method == "POST":
                await WriteJsonAsync(response, await core.LookupAsync(subject, ReadSchema(body), Flag(query, "deleted"), query["format"], cancellationToken).ConfigureAwait(false), ctx.SchemaResponseJson).ConfigureAwait(false);
                return;
            case ["subjects", var subject] when method == "DELETE":
                await WriteJsonAsync(response, await core.DeleteSubjectAsync(subject, Flag(query, "permanent"), cancellationToken).ConfigureAwait(false), ctx.ListInt32).ConfigureAwait(false);
                return;
            case ["subjects", var subject, "versions"] when method == "GET":
                await WriteJsonAsync(response, core.GetVersions(subject, Flag(query, "deleted"), Flag(query, "deletedOnly")), ctx.ListInt32).ConfigureAwait(false);
                return;
            case ["subjects", var subject, "versions"] when method == "POST":
                var id = await core.RegisterAsync(subject, ReadSchema(body), cancellationToken).ConfigureAwait(false);
                await WriteJsonAsync(response, new IdResponseJson { Id = id }, ctx.IdResponseJson).ConfigureAwait(false);
                return;
            case ["subjects", var subject, "versions", var version] when method == "GET":
                await WriteJsonAsync(response, core.GetVersion(subject, version, Flag(query, "deleted"), query["format"]), ctx.SchemaResponseJson).ConfigureAwait(false);
                return;
            case ["subjects", var subject, "versions", var version, "schema"] when method == "GET":
                // The bare schema string, under the JSON content type, as Confluent answers it.
                await WriteAsync(response, Encoding.UTF8.GetBytes(core.GetVersion(subject, version, Flag(query, "deleted"), query["format"]).Schema ?? string.Empty)).ConfigureAwait(false);
                return;
            case ["subjects", var subject, "versions", var version, "referencedby"] when method == "GET":
                await WriteJsonAsync(response, core.GetReferencedBy(subject, version, Flag(query, "deleted")), ctx.ListInt32).ConfigureAwait(false);
                return;
            case ["subjects", var subject, "versions", var version] when method == "DELETE":
                var deleted = await core.DeleteVersionAsync(subject, version, Flag(query, "permanent"), cancellationToken).ConfigureAwait(false);
                await WriteJsonAsync(response, deleted, ctx.Int32).ConfigureAwait(false);
                return;
            case ["schemas"] when method == "GET":
                await WriteJsonAsync(response, core.GetSchemas(query["subjectPrefix"] ?? string.Empty, Flag(query, "deleted"), Flag(query, "latestOnly"), Number(query, "offset", 0), Number(query, "limit", -1)), ctx.ListSchemaResponseJson).ConfigureAwait(false);
                return;
            case ["schemas", "ids", var idText] when method == "GET":
                await WriteJsonAsync(response, core.GetById(SchemaId(idText), query["format"]), ctx.SchemaResponseJson).ConfigureAwait(false);
                return;
            case ["schemas", "ids", var idText, "schema"] when method == "GET":
                await WriteAsync(response, Encoding.UTF8.GetBytes(core.GetById(SchemaId(idText), query["format"]).Schema ?? string.Empty)).ConfigureAwait(false);
                return;
            case ["schemas", "ids", var idText, "subjects"] when method == "GET":
                await WriteJsonAsync(response, core.GetSubjectsOfId(SchemaId(idText), Flag(query, "deleted")), ctx.ListString).ConfigureAwait(false);
                return;
            case ["schemas", "ids", var idText, "versions"] when method == "GET":
                await WriteJsonAsync(response, core.GetVersionsOfId(SchemaId(idText), Flag(query, "deleted")), ctx.ListSubjectVersionJson).ConfigureAwait(false);
                return;
            case ["schemas", "types"] when method == "GET":
                await WriteJsonAsync(response, [SchemaTypes.Protobuf], ctx.ListString).ConfigureAwait(false);
                return;
            case ["compatibility", "subjects", var subject, "versions"] when method == "POST":
                var all = await core.TestCompatibilityAsync(subject, null, ReadSchema(body), Flag(query, "verbose"), cancellationToken).ConfigureAwait(false);
                await WriteJsonAsync(response, all, ctx.CompatibilityResponseJson).ConfigureAwait(false);
                return;
            case ["compatibility", "subjects", var subject, "versions", var version] when method == "POST":
                var result = await core.TestCompatibilityAsync(subject, version, ReadSchema(body), Flag(query, "verbose"), cancellationToken).ConfigureAwait(false);
                await WriteJsonAsync(response, result, ctx.CompatibilityResponseJson).ConfigureAwait(false);
                return;
            case ["config"] when method == "GET":
                await WriteJsonAsync(response, new ConfigGetResponseJson { CompatibilityLevel = core.GetCompatibility(null, true) }, ctx.ConfigGetResponseJson).ConfigureAwait(false);
                return;
            case ["config"] when method == "PUT":
                var level = await core.SetCompatibilityAsync(null, ReadConfig(body), cancellationToken).ConfigureAwait(false);
                await WriteJsonAsync(response, new ConfigPutJson { Compatibility = level }, ctx.ConfigPutJson).ConfigureAwait(false);
                return;
            case ["config", var subject] when method == "GET":
                await WriteJsonAsync(response, new ConfigGetResponseJson { CompatibilityLevel = core.GetCompatibility(subject, Flag(query, "defaultToGlobal")) }, ctx.ConfigGetResponseJson).ConfigureAwait(false);
                return;
            case ["config", var subject] when method == "PUT":
                var subjectLevel = await core.SetCompatibilityAsync(subject, ReadConfig(body), cancellationToken).ConfigureAwait(false);
                await WriteJsonAsync(response, new ConfigPutJson { Compatibility = subjectLevel }, ctx.ConfigPutJson).ConfigureAwait(false);
                return;
            case ["config", var subject] when method == "DELETE":
                var previous = await core.DeleteCompatibilityAsync(subject, cancellationToken).ConfigureAwait(false);
                await WriteJsonAsync(response, new ConfigGetResponseJson { CompatibilityLevel = previous }, ctx.ConfigGetResponseJson).ConfigureAwait(false);
                return;
            case ["mode"] when method == "GET":
                await WriteJsonAsync(response, new ModeJson { Mode = core.GetMode(null, true) }, ctx.ModeJson).ConfigureAwait(false);
                return;
            case ["mode"] when method == "PUT":
                var globalMode = await core.SetModeAsync(null, ReadMode(body), Flag(query, "force"), cancellationToken).ConfigureAwait(false);
                await WriteJsonAsync(response, new ModeJson { Mode = globalMode }, ctx.ModeJson).ConfigureAwait(false);
                return;
            case ["mode"] when method == "DELETE":
                await WriteJsonAsync(response, new ModeJson { Mode = await core.DeleteModeAsync(null, cancellationToken).ConfigureAwait(false) }, ctx.ModeJson).ConfigureAwait(false);
                return;
            case ["mode", var subject] when method == "GET":
                await WriteJsonAsync(response, new ModeJson { Mode = core.GetMode(subject, Flag(query, "defaultToGlobal")) }, ctx.ModeJson).ConfigureAwait(false);
                return;
            case ["mode", var subject] when method == "PUT":
                var subjectMode = await core.SetModeAsync(subject, ReadMode(body), Flag(query, "force"), cancellationToken).ConfigureAwait(false);
                await WriteJsonAsync(response, new ModeJson { Mode = subjectMode }, ctx.ModeJson).ConfigureAwait(false);
                return;
            case ["mode", var subject] when method == "DELETE":
                await WriteJsonAsync(response, new ModeJson { Mode = await core.DeleteModeAsync(subject, cancellationToken).ConfigureAwait(false) }, ctx.ModeJson).ConfigureAwait(false);
                return;
            case ["contexts"] when method == "GET":
                // Only the default context exists here.
                await WriteJsonAsync(response, ["."], ctx.ListString).ConfigureAwait(false);
                return;
            default:
                throw new RegistryError(404, 404, $"HTTP 404 Not Found: {method} {pathPart} is not part of the embedded Schema Registry's API");
        }
    }

    private static SchemaRequestJson ReadSchema(byte[] body) =>
        (body.Length == 0 ? null : JsonSerializer.Deserialize(body, SchemaRegistryJsonContext.Default.SchemaRequestJson))
        ?? throw new RegistryError(422, SchemaRegistryException.InvalidSchema, "Empty request body");

    private static string? ReadMode(byte[] body) =>
        body.Length == 0 ? null : JsonSerializer.Deserialize(body, SchemaRegistryJsonContext.Default.ModeJson)?.Mode;

    private static int SchemaId(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new RegistryError(404, SchemaRegistryException.SchemaNotFound, "Schema not found");

    private static int Number(System.Collections.Specialized.NameValueCollection query, string name, int fallback) =>
        int.TryParse(query[name], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static string? ReadConfig(byte[] body) =>
        body.Length == 0 ? null : JsonSerializer.Deserialize(body, SchemaRegistryJsonContext.Default.ConfigPutJson)?.Compatibility;

    private static bool Flag(System.Collections.Specialized.NameValueCollection query, string name) =>
        string.Equals(query[name], "true", StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        if (!request.HasEntityBody)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static Task WriteJsonAsync<T>(HttpListenerResponse response, T value, JsonTypeInfo<T> type) =>
        WriteAsync(response, JsonSerializer.SerializeToUtf8Bytes(value, type));

    private static async Task WriteAsync(HttpListenerResponse response, byte[] bytes)
    {
        response.StatusCode = 200;
        response.ContentType = JsonContentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpListenerResponse response, int status, int code, string message)
    {
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(new ErrorResponseJson { ErrorCode = code, Message = message }, SchemaRegistryJsonContext.Default.ErrorResponseJson);
            response.StatusCode = status;
            response.ContentType = JsonContentType;
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // the response was already started or the client left
        }
    }
}
