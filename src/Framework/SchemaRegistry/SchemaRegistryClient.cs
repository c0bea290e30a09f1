using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaTyped.SchemaRegistry;

/// <summary>
/// The HTTP Schema Registry client: Confluent's REST API with failover across URLs, retries with backoff, basic or
/// bearer auth, TLS, and caches for registrations, lookups and ids.
/// </summary>
/// <remarks>
/// Thread-safe; create one per application. HTTP goes through <see cref="IHttpClientFactory"/> (the named client
/// <see cref="HttpClientName"/>) when constructed with one, as the DI registration does; otherwise the client owns
/// an <see cref="HttpClient"/>. Failover and retry rounds are a Polly pipeline: a 4xx answer is final and throws
/// <see cref="SchemaRegistryException"/> at once; 5xx answers, timeouts and network errors move on to the next URL, and
/// after every URL failed the round is retried up to <see cref="SchemaRegistryOptions.MaxRetries"/> times.
/// Cache hits complete synchronously and allocate nothing.
/// </remarks>
public sealed class SchemaRegistryClient : ISchemaRegistry, IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> the client asks <see cref="IHttpClientFactory"/> for.</summary>
    public const string HttpClientName = "KafkaTyped.SchemaRegistry";

    private readonly SchemaRegistryTransport transport;
    private readonly SchemaRegistryOptions options;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<SubjectSchema, int> registered = new();
    private readonly ConcurrentDictionary<SubjectSchema, RegisteredSchema> lookedUp = new();
    private readonly ConcurrentDictionary<int, Schema> byId = new();

    /// <summary>Creates a client that owns its <see cref="HttpClient"/> (for use without DI).</summary>
    /// <param name="options">Settings; at least one URL.</param>
    /// <param name="logger">Logger; optional.</param>
    /// <param name="handler">The HTTP handler to use instead of one built from the TLS settings (the client does not dispose it).</param>
    public SchemaRegistryClient(SchemaRegistryOptions options, ILogger<SchemaRegistryClient>? logger = null, HttpMessageHandler? handler = null)
        : this(options, null, handler, logger)
    {
    }

    /// <summary>Creates a client whose requests use the factory's <see cref="HttpClientName"/> client.</summary>
    /// <param name="options">Settings; at least one URL.</param>
    /// <param name="httpClientFactory">The factory; register the named client with <c>AddKafkaTypedSchemaRegistry</c> (which applies the TLS settings).</param>
    /// <param name="logger">Logger; optional.</param>
    public SchemaRegistryClient(SchemaRegistryOptions options, IHttpClientFactory httpClientFactory, ILogger<SchemaRegistryClient>? logger = null)
        : this(options, httpClientFactory ?? throw new ArgumentNullException(nameof(httpClientFactory)), null, logger)
    {
    }

    private SchemaRegistryClient(SchemaRegistryOptions options, IHttpClientFactory? httpClientFactory, HttpMessageHandler? handler, ILogger<SchemaRegistryClient>? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        transport = new SchemaRegistryTransport(options, httpClientFactory, handler, this.logger);
    }

    /// <summary>The handler the TLS settings call for (custom CA, client certificate, verification off for tests).</summary>
    /// <remarks>The DI registration makes it the primary handler of the <see cref="HttpClientName"/> client.</remarks>
    internal static HttpMessageHandler CreateHttpMessageHandler(SchemaRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SchemaRegistryTransport.CreateHandler(options);
    }

    /// <summary>The configured URLs without user info, for diagnostics.</summary>
    public IReadOnlyList<string> Urls => transport.DisplayUrls;

    /// <inheritdoc />
    public ValueTask<int> RegisterSchemaAsync(string subject, Schema schema, bool normalize = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(schema);
        return registered.TryGetValue(new SubjectSchema(subject, schema), out var id) ? ValueTask.FromResult(id) : RegisterSlowAsync(subject, schema, normalize, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<RegisteredSchema> LookupSchemaAsync(string subject, Schema schema, bool normalize = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(schema);
        return lookedUp.TryGetValue(new SubjectSchema(subject, schema), out var found) ? ValueTask.FromResult(found) : LookupSlowAsync(subject, schema, normalize, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Schema> GetSchemaByIdAsync(int id, CancellationToken cancellationToken = default) =>
        byId.TryGetValue(id, out var schema) ? ValueTask.FromResult(schema) : GetByIdSlowAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<RegisteredSchema> GetLatestSchemaAsync(string subject, CancellationToken cancellationToken = default) =>
        GetVersionAsync(subject, "latest", cancellationToken);

    /// <inheritdoc />
    public Task<RegisteredSchema> GetSchemaAsync(string subject, int version, CancellationToken cancellationToken = default) =>
        GetVersionAsync(subject, version.ToString(CultureInfo.InvariantCulture), cancellationToken);

    /// <inheritdoc />
    public async Task<CompatibilityCheckResult> TestCompatibilityAsync(string subject, Schema schema, int? version = null, bool verbose = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(schema);
        var path = $"compatibility/subjects/{Escape(subject)}/versions/{(version is { } v ? v.ToString(CultureInfo.InvariantCulture) : "latest")}?verbose={(verbose ? "true" : "false")}";
        var response = await SendAsync(HttpMethod.Post, path, ToRequest(schema), SchemaRegistryJsonContext.Default.SchemaRequestJson, SchemaRegistryJsonContext.Default.CompatibilityResponseJson, cancellationToken).ConfigureAwait(false);
        return new CompatibilityCheckResult(response.IsCompatible, response.Messages ?? []);
    }

    /// <inheritdoc />
    public async Task<CompatibilityLevel> GetCompatibilityAsync(string? subject = null, bool defaultToGlobal = true, CancellationToken cancellationToken = default)
    {
        var path = subject is null ? "config" : $"config/{Escape(subject)}?defaultToGlobal={(defaultToGlobal ? "true" : "false")}";
        var response = await SendNoBodyAsync(HttpMethod.Get, path, SchemaRegistryJsonContext.Default.ConfigGetResponseJson, cancellationToken).ConfigureAwait(false);
        return CompatibilityLevels.TryParse(response.CompatibilityLevel, out var level)
            ? level
            : throw new SchemaRegistryException($"The registry returned an unknown compatibility level '{response.CompatibilityLevel}'.", SchemaRegistryException.InvalidCompatibilityLevel, 200);
    }

    /// <inheritdoc />
    public async Task<CompatibilityLevel> SetCompatibilityAsync(CompatibilityLevel level, string? subject = null, CancellationToken cancellationToken = default)
    {
        var path = subject is null ? "config" : $"config/{Escape(subject)}";
        var response = await SendAsync(HttpMethod.Put, path, new ConfigPutJson { Compatibility = level.ToRegistryName() }, SchemaRegistryJsonContext.Default.ConfigPutJson, SchemaRegistryJsonContext.Default.ConfigPutJson, cancellationToken).ConfigureAwait(false);
        return CompatibilityLevels.TryParse(response.Compatibility, out var echoed) ? echoed : level;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default) =>
        await SendNoBodyAsync(HttpMethod.Get, "subjects", SchemaRegistryJsonContext.Default.ListString, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return await SendNoBodyAsync(HttpMethod.Get, $"subjects/{Escape(subject)}/versions", SchemaRegistryJsonContext.Default.ListInt32, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var result = await SendNoBodyAsync(HttpMethod.Delete, $"subjects/{Escape(subject)}?permanent={(permanent ? "true" : "false")}", SchemaRegistryJsonContext.Default.ListInt32, cancellationToken).ConfigureAwait(false);
        ForgetSubject(subject);
        return result;
    }

    /// <inheritdoc />
    public async Task<int> DeleteVersionAsync(string subject, int version, bool permanent = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var result = await SendNoBodyAsync(HttpMethod.Delete, $"subjects/{Escape(subject)}/versions/{version.ToString(CultureInfo.InvariantCulture)}?permanent={(permanent ? "true" : "false")}", SchemaRegistryJsonContext.Default.Int32, cancellationToken).ConfigureAwait(false);
        ForgetSubject(subject);
        return result;
    }

    /// <inheritdoc />
    public void Dispose() => transport.Dispose();

    private async ValueTask<int> RegisterSlowAsync(string subject, Schema schema, bool normalize, CancellationToken cancellationToken)
    {
        var path = $"subjects/{Escape(subject)}/versions{(normalize ? "?normalize=true" : string.Empty)}";
        var response = await SendAsync(HttpMethod.Post, path, ToRequest(schema), SchemaRegistryJsonContext.Default.SchemaRequestJson, SchemaRegistryJsonContext.Default.IdResponseJson, cancellationToken).ConfigureAwait(false);
        MakeRoom(registered);
        registered[new SubjectSchema(subject, schema)] = response.Id;

        SchemaRegistryLog.Registered(logger, subject, response.Id);
        return response.Id;
    }

    private async ValueTask<RegisteredSchema> LookupSlowAsync(string subject, Schema schema, bool normalize, CancellationToken cancellationToken)
    {
        var path = $"subjects/{Escape(subject)}{(normalize ? "?normalize=true" : string.Empty)}";
        var response = await SendAsync(HttpMethod.Post, path, ToRequest(schema), SchemaRegistryJsonContext.Default.SchemaRequestJson, SchemaRegistryJsonContext.Default.SchemaResponseJson, cancellationToken).ConfigureAwait(false);
        var result = ToRegistered(response, subject);
        MakeRoom(lookedUp);
        lookedUp[new SubjectSchema(subject, schema)] = result;

        SchemaRegistryLog.LookedUp(logger, subject, result.Id, result.Version);
        return result;
    }

    private async ValueTask<Schema> GetByIdSlowAsync(int id, CancellationToken cancellationToken)
    {
        var response = await SendNoBodyAsync(HttpMethod.Get, $"schemas/ids/{id.ToString(CultureInfo.InvariantCulture)}", SchemaRegistryJsonContext.Default.SchemaResponseJson, cancellationToken).ConfigureAwait(false);
        var schema = ToSchema(response);
        MakeRoom(byId);
        byId[id] = schema;

        return schema;
    }

    private async Task<RegisteredSchema> GetVersionAsync(string subject, string version, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var response = await SendNoBodyAsync(HttpMethod.Get, $"subjects/{Escape(subject)}/versions/{version}", SchemaRegistryJsonContext.Default.SchemaResponseJson, cancellationToken).ConfigureAwait(false);
        var result = ToRegistered(response, subject);
        MakeRoom(byId);
        byId.TryAdd(result.Id, result.Schema);

        return result;
    }

    private Task<TResponse> SendNoBodyAsync<TResponse>(HttpMethod method, string path, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendAsync<SchemaRequestJson, TResponse>(method, path, null, null, responseType, cancellationToken);

    private Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest>? requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TRequest : class =>
        transport.SendAsync(method, path, body, requestType, responseType, cancellationToken);

    private void MakeRoom<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache)
        where TKey : notnull
    {
        if (options.MaxCachedSchemas > 0 && cache.Count >= options.MaxCachedSchemas)
        {
            // Crude but bounded: a process that churns through schemas starts over rather than growing forever.
            cache.Clear();
        }
    }

    private void ForgetSubject(string subject)
    {
        foreach (var key in registered.Keys)
        {
            if (key.Subject == subject)
            {
                registered.TryRemove(key, out _);
            }
        }

        foreach (var key in lookedUp.Keys)
        {
            if (key.Subject == subject)
            {
                lookedUp.TryRemove(key, out _);
            }
        }
    }

    private static SchemaRequestJson ToRequest(Schema schema)
    {
        List<SchemaReferenceJson>? references = null;
        if (schema.References.Count > 0)
        {
            references = new List<SchemaReferenceJson>(schema.References.Count);
            foreach (var reference in schema.References)
            {
                references.Add(new SchemaReferenceJson { Name = reference.Name, Subject = reference.Subject, Version = reference.Version });
            }
        }

        return new SchemaRequestJson { SchemaType = schema.SchemaType == Schema.Avro ? null : schema.SchemaType, Schema = schema.Text, References = references };
    }

    internal static Schema ToSchema(SchemaResponseJson response)
    {
        var references = new List<SchemaReference>();
        if (response.References is not null)
        {
            foreach (var reference in response.References)
            {
                references.Add(new SchemaReference(reference.Name ?? string.Empty, reference.Subject ?? string.Empty, reference.Version));
            }
        }

        return new Schema(response.Schema ?? string.Empty, response.SchemaType ?? Schema.Avro, references);
    }

    private static RegisteredSchema ToRegistered(SchemaResponseJson response, string subject) =>
        new(response.Subject ?? subject, response.Version ?? 0, response.Id ?? 0, ToSchema(response));

    private static string Escape(string subject) => Uri.EscapeDataString(subject);

    private readonly record struct SubjectSchema(string Subject, Schema Schema);
}
