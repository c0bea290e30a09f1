using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace KafkaTyped.SchemaRegistry;

/// <summary>
/// The HTTP side of <see cref="SchemaRegistryClient"/>: one request sent to the configured URLs in turn, with a
/// Polly retry pipeline doing the failover and the backoff rounds, over an <see cref="HttpClient"/> from
/// <see cref="IHttpClientFactory"/> (or one the transport owns when used without DI).
/// </summary>
/// <remarks>
/// A 4xx answer is conclusive and thrown at once. A 5xx answer, a timeout (<see cref="SchemaRegistryOptions.RequestTimeout"/>
/// per attempt) or a network error moves on to the next URL without delay; after every URL failed, the next round
/// waits <see cref="SchemaRegistryOptions.RetryBackoff"/>, doubling up to <see cref="SchemaRegistryOptions.MaxRetryBackoff"/>.
/// Credentials travel only in the Authorization header, never in a logged or thrown text.
/// </remarks>
internal sealed class SchemaRegistryTransport : IDisposable
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";

    private static readonly MediaTypeHeaderValue RequestContentType = MediaTypeHeaderValue.Parse(ContentType);

    private readonly Func<HttpClient> httpClient;
    private readonly HttpClient? owned;
    private readonly Uri[] urls;
    private readonly string[] displayUrls;
    private readonly AuthenticationHeaderValue? authorization;
    private readonly SchemaRegistryOptions options;
    private readonly ILogger logger;
    private readonly ResiliencePipeline pipeline;
    private int preferredUrl;

    public SchemaRegistryTransport(SchemaRegistryOptions options, IHttpClientFactory? httpClientFactory, HttpMessageHandler? handler, ILogger logger)
    {
        if (options.Urls.Count == 0)
        {
            throw new ArgumentException("Configure at least one Schema Registry URL (KafkaTyped:SchemaRegistry:Urls).", nameof(options));
        }

        this.options = options;
        this.logger = logger;
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
        if (httpClientFactory is not null && handler is null)
        {
            // The factory pools and recycles handlers; a client per request is its intended use.
            httpClient = () => httpClientFactory.CreateClient(SchemaRegistryClient.HttpClientName);
        }
        else
        {
            owned = handler is null ? new HttpClient(CreateHandler(options), disposeHandler: true) : new HttpClient(handler, disposeHandler: false);
            owned.Timeout = Timeout.InfiniteTimeSpan;
            httpClient = () => owned;
        }

        pipeline = BuildPipeline();
    }

    public IReadOnlyList<string> DisplayUrls => displayUrls;

    public async Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest>? requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TRequest : class
    {
        var request = new Request<TResponse>(this, method, path, body is null || requestType is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, requestType), responseType, Volatile.Read(ref preferredUrl));
        try
        {
            return await pipeline.ExecuteAsync(static (request, token) => request.Transport.AttemptAsync(request, token), request, cancellationToken).ConfigureAwait(false);
        }
        catch (TransientFailure last)
        {
            throw new SchemaRegistryException(
                $"Schema Registry request {method} /{StripQuery(path)} failed on every URL ({string.Join(", ", displayUrls)}) after {(options.MaxRetries + 1).ToString(CultureInfo.InvariantCulture)} rounds; last error: {last.Message}. Check that the registry is running and KafkaTyped:SchemaRegistry:Urls is right.",
                last.ErrorCode,
                last.Status,
                last.InnerException);
        }
    }

    public void Dispose() => owned?.Dispose();

    /// <summary>The handler built from the TLS settings; also the primary handler of the factory's named client.</summary>
    public static HttpMessageHandler CreateHandler(SchemaRegistryOptions options)
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

    private ResiliencePipeline BuildPipeline()
    {
        var attempts = urls.Length * (Math.Max(options.MaxRetries, 0) + 1);
        if (attempts == 1)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is TransientFailure),
                MaxRetryAttempts = attempts - 1,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayBefore(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    var next = args.AttemptNumber + 1;
                    if (next % urls.Length == 0)
                    {
                        SchemaRegistryLog.Retrying(logger, next / urls.Length, options.MaxRetries, (long)args.RetryDelay.TotalMilliseconds);
                    }

                    return default;
                },
            })
            .Build();
    }

    /// <summary>The next URL of a round goes at once; a new round waits the doubled backoff.</summary>
    private TimeSpan DelayBefore(int attempt)
    {
        if (attempt % urls.Length != 0)
        {
            return TimeSpan.Zero;
        }

        var round = attempt / urls.Length;
        var delay = options.RetryBackoff.Ticks * Math.Pow(2, round - 1);
        return TimeSpan.FromTicks((long)Math.Min(delay, options.MaxRetryBackoff.Ticks));
    }

    private async ValueTask<TResponse> AttemptAsync<TResponse>(Request<TResponse> request, CancellationToken cancellationToken)
    {
        var index = (request.FirstUrl + request.Attempts++) % urls.Length;
        try
        {
            var value = await SendOnceAsync(urls[index], request, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref preferredUrl, index);
            return value;
        }
        catch (TransientFailure failure)
        {
            SchemaRegistryLog.UrlFailed(logger, displayUrls[index], failure.Message);
            throw;
        }
    }

    private async Task<TResponse> SendOnceAsync<TResponse>(Uri baseUrl, Request<TResponse> request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var message = new HttpRequestMessage(request.Method, new Uri(baseUrl, request.Path));
            message.Headers.Accept.ParseAdd("application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json");
            message.Headers.Authorization = authorization;
            if (request.Payload is not null)
            {
                message.Content = new ByteArrayContent(request.Payload);
                message.Content.Headers.ContentType = RequestContentType;
            }

            using var response = await httpClient().SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                TResponse? value;
                try
                {
                    value = bytes.Length == 0 ? default : JsonSerializer.Deserialize(bytes, request.ResponseType);
                }
                catch (JsonException ex)
                {
                    // A body we cannot read is conclusive: another URL of the same registry would answer the same.
                    throw new SchemaRegistryException($"Schema Registry answered {request.Method} /{StripQuery(request.Path)} with a body that is not the expected JSON: {ex.Message}", 50005, status, ex);
                }

                return value ?? throw new TransientFailure($"HTTP {status} with an empty or null body", status, 50005, null);
            }

            var (code, text) = ReadError(bytes, status);
            if (status is >= 400 and < 500)
            {
                throw new SchemaRegistryException($"Schema Registry rejected {request.Method} /{StripQuery(request.Path)}: {text} (error code {code}, HTTP {status}).", code, status);
            }

            throw new TransientFailure($"HTTP {status}: {text} (error code {code})", status, code, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientFailure($"no answer within {options.RequestTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms", null, SchemaRegistryException.OperationTimeout, null);
        }
        catch (HttpRequestException ex)
        {
            // The exception text names host and port, never credentials (they travel in a header).
            throw new TransientFailure(ex.Message, null, SchemaRegistryException.Unreachable, ex);
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

    internal static string StripQuery(string path)
    {
        var q = path.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? path : path[..q];
    }

    /// <summary>One logical request across its attempts (slow path only: cache misses and admin calls).</summary>
    private sealed class Request<TResponse>(SchemaRegistryTransport transport, HttpMethod method, string path, byte[]? payload, JsonTypeInfo<TResponse> responseType, int firstUrl)
    {
        public SchemaRegistryTransport Transport { get; } = transport;

        public HttpMethod Method { get; } = method;

        public string Path { get; } = path;

        public byte[]? Payload { get; } = payload;

        public JsonTypeInfo<TResponse> ResponseType { get; } = responseType;

        public int FirstUrl { get; } = firstUrl;

        public int Attempts { get; set; }
    }

    /// <summary>A failure the next URL or round may not have: 5xx, timeout, network.</summary>
    private sealed class TransientFailure(string message, int? status, int errorCode, Exception? inner) : Exception(message, inner)
    {
        public int? Status { get; } = status;

        public int ErrorCode { get; } = errorCode;
    }
}
