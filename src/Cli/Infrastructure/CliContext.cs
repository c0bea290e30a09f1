using System.CommandLine;
using Confluent.Kafka;
using KafkaTyped.Cli.Adapters;
using KafkaTyped.Cli.Kafka;
using KafkaTyped.Embedded;
using KafkaTyped.Hosting;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Configuration;

namespace KafkaTyped.Cli;

/// <summary>
/// One command's settings and connections, resolved as applications resolve theirs: the <c>KafkaTyped:*</c> keys of
/// <c>appsettings.json</c> in the current folder (and <c>appsettings.{DOTNET_ENVIRONMENT}.json</c>), then environment
/// variables (<c>KafkaTyped__BootstrapServers</c>), then the command line.
/// </summary>
internal sealed class CliContext : IDisposable
{
    private readonly ParseResult parse;
    private readonly KafkaTypedOptions kafka = new();
    private readonly SchemaRegistryOptions registryOptions = new();
    private ClusterTarget? target;
    private SchemaRegistryClient? registry;

    private CliContext(ParseResult parse, CliOutput output)
    {
        this.parse = parse;
        Output = output;
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
        var folder = Directory.GetCurrentDirectory();
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(folder, "appsettings.json"), optional: true, reloadOnChange: false);
        if (!string.IsNullOrEmpty(environment))
        {
            builder.AddJsonFile(Path.Combine(folder, $"appsettings.{environment}.json"), optional: true, reloadOnChange: false);
        }

        IConfiguration configuration;
        try
        {
            configuration = builder.AddEnvironmentVariables().Build();
            var section = configuration.GetSection(KafkaTypedOptions.SectionName);
            section.Bind(kafka);
            section.GetSection(SchemaRegistryOptions.SectionName).Bind(registryOptions);
            section.GetSection(SchemaRegistrationOptions.SectionName).Bind(Registration);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException)
        {
            throw new CliException($"The settings could not be read (appsettings.json or KafkaTyped__* variables): {e.Message}", ExitCodes.Usage, e);
        }
    }

    public CliOutput Output { get; }

    /// <summary>How schemas are registered (<c>KafkaTyped:Schemas</c>), as the application would.</summary>
    public SchemaRegistrationOptions Registration { get; } = new();

    public static CliContext Create(ParseResult parse) =>
        new(parse, new CliOutput(parse.GetValue(GlobalOptions.Json), Console.Out, Console.Error));

    /// <summary>The Kafka cluster the command talks to.</summary>
    public ClusterTarget Cluster => target ??= ResolveCluster();

    /// <summary>The Schema Registry client (the registry is contacted on first use).</summary>
    public SchemaRegistryClient Registry => registry ??= CreateRegistry();

    /// <summary>The registry URLs in use, for messages.</summary>
    public string RegistryDisplay => string.Join(",", Registry.Urls);

    /// <summary>Seconds the user allows for network calls; shorter on an embedded cluster, which answers at once or never.</summary>
    public TimeSpan Timeout
    {
        get
        {
            var seconds = parse.GetValue(GlobalOptions.Timeout);
            if (seconds > 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            return target is { IsEmbedded: true } ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(10);
        }
    }

    public ProducerConfig CreateProducerConfig()
    {
        var config = new ProducerConfig(ClientSettings(kafka.ProducerSettings));
        config.EnableIdempotence ??= true;
        config.Acks ??= Acks.All;
        config.MessageTimeoutMs ??= (int)Timeout.TotalMilliseconds;
        EmbeddedClientTuning.ApplyIfEmbedded(config);
        return config;
    }

    public ConsumerConfig CreateConsumerConfig(string? groupId)
    {
        var config = new ConsumerConfig(ClientSettings(kafka.ConsumerSettings))
        {
            GroupId = groupId ?? "kafkatyped-cli",
        };
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.EnablePartitionEof = true;
        config.AllowAutoCreateTopics ??= false;

        // The tool prints every field of a record, whichever the application's own consumers skip.
        config.ConsumeResultFields = "all";
        EmbeddedClientTuning.ApplyIfEmbedded(config);
        return config;
    }

    public AdminClientConfig CreateAdminConfig() => new(ClientSettings(null));

    public IAdminClient CreateAdminClient() =>
        new AdminClientBuilder(CreateAdminConfig()).SetLogHandler(static (_, _) => { }).SetErrorHandler(static (_, _) => { }).Build();

    /// <summary>Runs a registry call, turning its failures into one clear line and an exit code.</summary>
    public async Task<T> CallRegistryAsync<T>(Func<SchemaRegistryClient, Task<T>> call, string? notFound = null)
    {
        var client = Registry;
        try
        {
            return await call(client).ConfigureAwait(false);
        }
        catch (SchemaRegistryException e) when (e.HttpStatus is null or >= 500)
        {
            throw new CliException($"The Schema Registry at {RegistryDisplay} cannot be reached: {e.Message}", ExitCodes.Unavailable, e);
        }
        catch (SchemaRegistryException e) when (e.HttpStatus == 404)
        {
            throw new CliException(notFound is null ? $"The Schema Registry says: {e.Message}" : $"{notFound} ({e.Message})", ExitCodes.NotFound, e);
        }
        catch (SchemaRegistryException e)
        {
            throw new CliException($"The Schema Registry refused the request: {e.Message}", ExitCodes.Failed, e);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"The Schema Registry at {RegistryDisplay} cannot be reached: {e.Message}", ExitCodes.Unavailable, e);
        }
    }

    public void Dispose() => registry?.Dispose();

    private Dictionary<string, string> ClientSettings(IDictionary<string, string>? specific)
    {
        var settings = new Dictionary<string, string>(kafka.Settings, StringComparer.Ordinal);
        foreach (var (key, value) in specific ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        foreach (var pair in parse.GetValue(GlobalOptions.Settings) ?? [])
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new CliException($"--setting expects key=value, got '{pair}'.", ExitCodes.Usage);
            }

            settings[parts[0]] = parts[1];
        }

        settings["bootstrap.servers"] = Cluster.BootstrapServers;
        return settings;
    }

    private ClusterTarget ResolveCluster()
    {
        var bootstrap = parse.GetValue(GlobalOptions.BootstrapServers);
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            bootstrap = string.IsNullOrWhiteSpace(kafka.BootstrapServers) ? null : kafka.BootstrapServers;
        }

        if (bootstrap is null)
        {
            bootstrap = DiscoverEmbedded();
        }

        var published = EmbeddedDirectory.Find(bootstrap);
        var control = published is null ? null : ControlDirectory.Find(bootstrap);
        return new ClusterTarget(bootstrap, published is not null, published?.ProcessId, control?.ControlUrl, published?.RegistryUrl);
    }

    // An application with no BootstrapServers starts a cluster of its own; a command cannot, so it joins the one
    // running on this machine: kafkatyped dev first, else the only application hosting one.
    private string DiscoverEmbedded()
    {
        var devs = ControlDirectory.ListLive();
        if (devs.Count == 1)
        {
            return devs[0].BootstrapServers;
        }

        if (devs.Count > 1)
        {
            throw new CliException($"Several kafkatyped dev clusters run on this machine ({string.Join("; ", devs.Select(d => $"process {d.ProcessId}: {d.BootstrapServers}"))}): pass --bootstrap-servers.", ExitCodes.Usage);
        }

        var hosted = EmbeddedDirectory.ListLive().GroupBy(c => c.ProcessId).Select(g => g.First()).ToList();
        return hosted.Count switch
        {
            1 => hosted[0].BootstrapServers,
            0 => throw new CliException("No Kafka cluster configured: pass --bootstrap-servers, set KafkaTyped:BootstrapServers (appsettings.json or KafkaTyped__BootstrapServers), or start one with 'kafkatyped dev'.", ExitCodes.Unavailable),
            _ => throw new CliException($"Several embedded clusters run on this machine ({string.Join("; ", hosted.Select(h => $"process {h.ProcessId}: {h.BootstrapServers}"))}): pass --bootstrap-servers.", ExitCodes.Usage),
        };
    }

    private SchemaRegistryClient CreateRegistry()
    {
        var urls = parse.GetValue(GlobalOptions.Registry) is { Length: > 0 } given
            ? given.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
            : registryOptions.Urls.Where(u => !string.IsNullOrWhiteSpace(u)).ToList();
        if (urls.Count == 0 && Cluster.RegistryUrl is { } embeddedUrl)
        {
            urls.Add(embeddedUrl);
        }

        if (urls.Count == 0)
        {
            throw new CliException(
                Cluster.IsEmbedded
                    ? $"The embedded cluster at {Cluster.BootstrapServers} serves no Schema Registry yet: pass --registry or set KafkaTyped:SchemaRegistry:Urls."
                    : "No Schema Registry configured: pass --registry or set KafkaTyped:SchemaRegistry:Urls (KafkaTyped__SchemaRegistry__Urls__0).",
                ExitCodes.Unavailable);
        }

        try
        {
            return new SchemaRegistryClient(new SchemaRegistryOptions
            {
                Urls = urls,
                BasicAuthUsername = registryOptions.BasicAuthUsername,
                BasicAuthPassword = registryOptions.BasicAuthPassword,
                BearerToken = registryOptions.BearerToken,
                SslCaLocation = registryOptions.SslCaLocation,
                SslKeystoreLocation = registryOptions.SslKeystoreLocation,
                SslKeystorePassword = registryOptions.SslKeystorePassword,
                EnableSslCertificateVerification = registryOptions.EnableSslCertificateVerification,
                RequestTimeout = Timeout,
                MaxRetries = 0,
            });
        }
        catch (ArgumentException e)
        {
            throw new CliException($"Bad Schema Registry setting: {e.Message}", ExitCodes.Usage, e);
        }
    }
}

/// <summary>The cluster a command talks to.</summary>
/// <param name="BootstrapServers">The bootstrap list.</param>
/// <param name="IsEmbedded">True for an embedded cluster published on this machine (kafkatyped dev or an application).</param>
/// <param name="HostProcessId">The process hosting the embedded cluster.</param>
/// <param name="ControlUrl">The control endpoint of kafkatyped dev, when that is the host.</param>
/// <param name="RegistryUrl">The embedded cluster's registry.</param>
internal sealed record ClusterTarget(string BootstrapServers, bool IsEmbedded, int? HostProcessId, string? ControlUrl, string? RegistryUrl)
{
    public string Describe() => IsEmbedded
        ? $"the embedded Kafka cluster at {BootstrapServers} (hosted by process {HostProcessId}{(ControlUrl is null ? string.Empty : ", kafkatyped dev")})"
        : $"the Kafka cluster at {BootstrapServers}";
}
