using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaTyped.Embedded;

namespace KafkaTyped.Cli.Dev;

/// <summary>
/// The loopback control endpoint of <c>kafkatyped dev</c>: what the embedded cluster cannot do through the Kafka
/// protocol (librdkafka's mock has no CreateTopics, DeleteTopics or ListGroups), done in the process that hosts it.
/// </summary>
/// <remarks>
/// <para>Routes (JSON): <c>GET /v1/cluster</c>; <c>POST /v1/topics</c> <c>{"name","partitions","replicationFactor"}</c>
/// (201, or 409 when it exists); <c>DELETE /v1/topics/{name}</c> (204, or 404). Consumer groups are not listed here:
/// every process that runs one on an embedded cluster writes it into the cluster's roster in the per-machine directory
/// (applications, and <c>consume --group</c>), which <c>groups list</c> reads.</para>
/// <para>Bound to 127.0.0.1 only, like the brokers themselves: anyone on this machine can reach both.</para>
/// </remarks>
internal sealed class ControlServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly EmbeddedKafkaCluster cluster;
    private readonly Func<JsonObject> describe;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    private ControlServer(HttpListener listener, string url, EmbeddedKafkaCluster cluster, Func<JsonObject> describe)
    {
        this.listener = listener;
        this.cluster = cluster;
        this.describe = describe;
        Url = url;
        loop = Task.Run(AcceptLoopAsync);
    }

    public string Url { get; }

    public static ControlServer Start(EmbeddedKafkaCluster cluster, int port, Func<JsonObject> describe)
    {
        for (var attempt = 0; ; attempt++)
        {
            var chosen = port;
            if (chosen == 0)
            {
                using var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                chosen = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
            }

            var url = "http://127.0.0.1:" + chosen.ToString(CultureInfo.InvariantCulture);
            var listener = new HttpListener();
            listener.Prefixes.Add(url + "/");
            try
            {
                listener.Start();
                return new ControlServer(listener, url, cluster, describe);
            }
            catch (HttpListenerException e)
            {
                listener.Close();
                if (port != 0 || attempt >= 10)
                {
                    throw new CliException($"The control endpoint cannot listen on {url}: {e.Message}", ExitCodes.Unavailable, e);
                }
            }
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url?.AbsolutePath.TrimEnd('/') ?? string.Empty;
            switch (request.HttpMethod, path)
            {
                case ("GET", "/v1/cluster"):
                    await WriteAsync(response, 200, describe()).ConfigureAwait(false);
                    return;
                case ("POST", "/v1/topics"):
                    var body = await ReadAsync(request).ConfigureAwait(false);
                    var name = body["name"]?.GetValue<string>();
                    var partitions = body["partitions"]?.GetValue<int>() ?? 1;
                    var replication = body["replicationFactor"]?.GetValue<int>() ?? -1;
                    if (string.IsNullOrEmpty(name) || partitions < 1)
                    {
                        await WriteAsync(response, 400, new JsonObject { ["error"] = "body must be {\"name\":\"topic\",\"partitions\":n}" }).ConfigureAwait(false);
                        return;
                    }

                    var created = cluster.CreateTopic(name, partitions, replication);
                    await WriteAsync(response, created ? 201 : 409, new JsonObject { ["name"] = name, ["created"] = created }).ConfigureAwait(false);
                    return;
                case ("DELETE", _) when path.StartsWith("/v1/topics/", StringComparison.Ordinal):
                    var topic = Uri.UnescapeDataString(path["/v1/topics/".Length..]);
                    var deleted = cluster.DeleteTopic(topic);
                    await WriteAsync(response, deleted ? 200 : 404, new JsonObject { ["name"] = topic, ["deleted"] = deleted }).ConfigureAwait(false);
                    return;
                default:
                    await WriteAsync(response, 404, new JsonObject { ["error"] = $"no route {request.HttpMethod} {path}" }).ConfigureAwait(false);
                    return;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            await WriteAsync(response, 400, new JsonObject { ["error"] = e.Message }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // the client went away
        }
    }

    private static async Task<JsonObject> ReadAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync().ConfigureAwait(false);
        return JsonNode.Parse(text) as JsonObject ?? throw new JsonException("the body must be a JSON object");
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }
}
