using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace KafkaTyped.Cli.Kafka;

/// <summary>Calls the loopback control endpoint of a <c>kafkatyped dev</c> process (see <see cref="Dev.ControlServer"/>).</summary>
internal sealed class ControlClient(string baseUrl, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = timeout };

    public async Task<bool> CreateTopicAsync(string name, int partitions, int replicationFactor, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => http.PostAsJsonAsync("v1/topics", new JsonObject { ["name"] = name, ["partitions"] = partitions, ["replicationFactor"] = replicationFactor }, cancellationToken)).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.Conflict;
    }

    public async Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => http.DeleteAsync("v1/topics/" + Uri.EscapeDataString(name), cancellationToken)).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        HttpResponseMessage response;
        try
        {
            response = await send().ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new CliException($"The control endpoint of kafkatyped dev at {http.BaseAddress} cannot be reached: {e.Message}", ExitCodes.Unavailable, e);
        }

        if (response.IsSuccessStatusCode || response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return response;
        }

        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        throw new CliException($"kafkatyped dev refused the request ({(int)response.StatusCode}): {text}", ExitCodes.Failed);
    }
}
