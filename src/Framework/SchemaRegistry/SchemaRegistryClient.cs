using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaTyped.SchemaRegistry;

/// <summary>
/// The HTTP Schema Registry client: Confluent's REST API with failover across URLs, retries with backoff, basic or
/// bearer auth, TLS, and caches for registrations, lookups and ids.
/// </summary>
/// <remarks>
/// Thread-safe; create one per application (it owns an <see cref="HttpClient"/>). A 4xx answer is final and throws
/// <see cref="SchemaRegistryException"/> at once; 5xx answers, timeouts and network errors move on to the next URL,
/// and after every URL failed the round is retried up to <see cref="SchemaRegistryOptions.MaxRetries"/> times.
/// </remarks>
public sealed class SchemaRegistryClient : ISchemaRegistry, IDisposable
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";

    private static readonly MediaTypeHeaderValue RequestContentType = MediaTypeHeaderValue.Parse(ContentType);

    private readonly HttpClient http;
    private readonly Uri[] urls;
    private readonly string[] displayUrls;
    private readonly AuthenticationHeaderValue? authorization;
    private readonly SchemaRegistryOptions options;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<SubjectSchema, int> registered = new();
    private readonly ConcurrentDictionary<SubjectSchema, RegisteredSchema> lookedUp = new();
    private readonly ConcurrentDictionary<int, Schema> byId = new();
    private int preferredUrl;

    /// <summary>Creates a client.</summary>
    /// <param name="options">Settings; at least one URL.</param>
    /// <param name="logger">Logger; optional.</param>
    /// <param name="handler">The HTTP handler to use instead of one built from the TLS settings (the client does not dispose it).</param>
    public SchemaRegistryClient(SchemaRegistryOptions options, ILogger<SchemaRegistryClient>? logger = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Urls.Count == 0)
        {
            throw new ArgumentException("Configure at least one Schema Registry URL (KafkaTyped:SchemaRegistry:Urls).", nameof(options));
        }

        this.options = options;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        urls = new Uri[options.Urls.Count];
        displayUrls = new string[urls.Length];
        string? urlUserInfo = null;
        for (var i = 0; i < urls.Length; i++)
        {
            var raw = options.Urls[i].Trim();
            if (!Uri.TryCreate(raw.EndsWith('/') ? raw : raw + "/", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"Schema Registry URL #{i + 1} is not an absolute http(s) URL.", nameof(options));
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                urlUserInfo ??= Uri.UnescapeDataString(uri.UserInfo);
                uri = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri;
            }

            urls[i] = uri;
            displayUrls[i] = uri.GetLeftPart(UriPartial.Authority);
        }

        authorization = CreateAuthorization(options, urlUserInfo);
        http = handler is null ? new HttpClient(CreateHandler(options), disposeHandler: true) : new HttpClient(handler, disposeHandler: false);

        // Timeouts are per request (a linked token), so one slow URL cannot eat the whole failover budget.
        http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>The configured URLs without user info, for diagnostics.</summary>
    public IReadOnlyList<string> Urls => displayUrls;

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
    public void Dispose()
    {
        http.Dispose();
    }

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

    private async Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest>? requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TRequest : class
    {
        byte[]? payload = body is null || requestType is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        var delay = options.RetryBackoff;
        string lastFailure = "no attempt";
        int? lastStatus = null;
        int lastCode = SchemaRegistryException.Unreachable;
        Exception? lastException = null;
        for (var attempt = 0; ; attempt++)
        {
            var start = Volatile.Read(ref preferredUrl);
            for (var n = 0; n < urls.Length; n++)
            {
                var index = (start + n) % urls.Length;
                var outcome = await TrySendOnceAsync(urls[index], method, path, payload, responseType, cancellationToken).ConfigureAwait(false);
                if (outcome.Succeeded)
                {
                    Volatile.Write(ref preferredUrl, index);
                    return outcome.Value!;
                }

                lastFailure = outcome.Failure!;
                lastStatus = outcome.Status;
                lastCode = outcome.ErrorCode;
                lastException = outcome.Exception;
                SchemaRegistryLog.UrlFailed(logger, displayUrls[index], lastFailure);
            }

            if (attempt >= options.MaxRetries)
            {
                break;
            }

            SchemaRegistryLog.Retrying(logger, attempt + 1, options.MaxRetries, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryBackoff.Ticks));
        }

        throw new SchemaRegistryException(
            $"Schema Registry request {method} /{StripQuery(path)} failed on every URL ({string.Join(", ", displayUrls)}) after {options.MaxRetries + 1} rounds; last error: {lastFailure}. Check that the registry is running and KafkaTyped:SchemaRegistry:Urls is right.",
            lastCode,
            lastStatus,
            lastException);
    }

    private async Task<SendOutcome<TResponse>> TrySendOnceAsync<TResponse>(Uri baseUrl, HttpMethod method, string path, byte[]? payload, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(baseUrl, path));
            request.Headers.Accept.ParseAdd("application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json");
            request.Headers.Authorization = authorization;
            if (payload is not null)
            {
                request.Content = new ByteArrayContent(payload);
                request.Content.Headers.ContentType = RequestContentType;
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                try
                {
                    var value = bytes.Length == 0 ? default : JsonSerializer.Deserialize(bytes, responseType);
                    return value is null
                        ? SendOutcome<TResponse>.Fail($"HTTP {status} with an empty or null body", status, 50005, null)
                        : SendOutcome<TResponse>.Ok(value);
                }
                catch (JsonException ex)
                {
                    // A body we cannot read is conclusive: another URL of the same registry would answer the same.
                    throw new SchemaRegistryException($"Schema Registry answered {method} /{StripQuery(path)} with a body that is not the expected JSON: {ex.Message}", 50005, status, ex);
                }
            }

            var (code, message) = ReadError(bytes, status);
            if (status is >= 400 and < 500)
            {
                throw new SchemaRegistryException($"Schema Registry rejected {method} /{StripQuery(path)}: {message} (error code {code}, HTTP {status}).", code, status);
            }

            return SendOutcome<TResponse>.Fail($"HTTP {status}: {message} (error code {code})", status, code, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendOutcome<TResponse>.Fail($"no answer within {options.RequestTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms", null, SchemaRegistryException.OperationTimeout, null);
        }
        catch (HttpRequestException ex)
        {
            // The exception text names host and port, never credentials (they travel in a header).
            return SendOutcome<TResponse>.Fail(ex.Message, null, SchemaRegistryException.Unreachable, ex);
        }
    }

    private static (int Code, string Message) ReadError(byte[] body, int status)
    {
        if (body.Length > 0)
        {
            try
            {
                var error = JsonSerializer.Deserialize(body, SchemaRegistryJsonContext.Default.ErrorResponseJson);
                if (error is not null && (error.ErrorCode != 0 || error.Message is not null))
                {
                    return (error.ErrorCode == 0 ? status : error.ErrorCode, error.Message ?? "no message");
                }
            }
            catch (JsonException)
            {
                // not a registry error body (a proxy's HTML page, for example); fall through
            }
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
        return (status, string.IsNullOrWhiteSpace(text) ? ((HttpStatusCode)status).ToString() : text);
    }

    private static AuthenticationHeaderValue? CreateAuthorization(SchemaRegistryOptions options, string? urlUserInfo)
    {
        if (!string.IsNullOrEmpty(options.BearerToken))
        {
            return new AuthenticationHeaderValue("Bearer", options.BearerToken);
        }

        var userInfo = !string.IsNullOrEmpty(options.BasicAuthUsername) ? $"{options.BasicAuthUsername}:{options.BasicAuthPassword}" : urlUserInfo;
        return string.IsNullOrEmpty(userInfo) ? null : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
    }

    private static HttpClientHandler CreateHandler(SchemaRegistryOptions options)
    {
        var handler = new HttpClientHandler();
        if (!options.EnableSslCertificateVerification)
        {
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        }
        else if (!string.IsNullOrEmpty(options.SslCaLocation))
        {
            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPemFile(options.SslCaLocation);
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == System.Net.Security.SslPolicyErrors.None)
                {
                    return true;
                }

                if (certificate is null || (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            };
        }

        if (!string.IsNullOrEmpty(options.SslKeystoreLocation))
        {
#if NET9_0_OR_GREATER
            handler.ClientCertificates.Add(X509CertificateLoader.LoadPkcs12FromFile(options.SslKeystoreLocation, options.SslKeystorePassword));
#else
            handler.ClientCertificates.Add(new X509Certificate2(options.SslKeystoreLocation, options.SslKeystorePassword));
#endif
        }

        return handler;
    }

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

    private static string StripQuery(string path)
    {
        var q = path.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? path : path[..q];
    }

    private readonly record struct SubjectSchema(string Subject, Schema Schema);

    private readonly struct SendOutcome<T>
    {
        public bool Succeeded { get; private init; }

        public T? Value { get; private init; }

        public string? Failure { get; private init; }

        public int? Status { get; private init; }

        public int ErrorCode { get; private init; }

        public Exception? Exception { get; private init; }

        public static SendOutcome<T> Ok(T value) => new() { Succeeded = true, Value = value };

        public static SendOutcome<T> Fail(string failure, int? status, int errorCode, Exception? exception) =>
            new() { Failure = failure, Status = status, ErrorCode = errorCode, Exception = exception };
    }
}
