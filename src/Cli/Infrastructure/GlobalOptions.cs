using System.CommandLine;

namespace KafkaTyped.Cli;

/// <summary>Options every command accepts (they override appsettings.json and environment variables).</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> BootstrapServers = new("--bootstrap-servers", "-b")
    {
        Description = "Kafka bootstrap servers (host:port,...). Default: KafkaTyped:BootstrapServers, else the embedded cluster running on this machine.",
        Recursive = true,
    };

    public static readonly Option<string?> Registry = new("--registry", "-r")
    {
        Description = "Schema Registry URL(s), comma-separated. Default: KafkaTyped:SchemaRegistry:Urls, else the embedded cluster's registry.",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write JSON to stdout (JSON lines for record streams) instead of tables.",
        Recursive = true,
    };

    public static readonly Option<double> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for the cluster or the registry before giving up (default 10; 5 on an embedded cluster).",
        Recursive = true,
        DefaultValueFactory = _ => 0,
    };

    public static readonly Option<string[]> Settings = new("--setting", "-X")
    {
        Description = "A librdkafka setting key=value for every client (repeatable), over KafkaTyped:Settings.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(BootstrapServers);
        root.Options.Add(Registry);
        root.Options.Add(Json);
        root.Options.Add(Timeout);
        root.Options.Add(Settings);
    }
}
