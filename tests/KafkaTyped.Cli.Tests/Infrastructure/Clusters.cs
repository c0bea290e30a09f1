using System.Diagnostics;
using System.Text.Json.Nodes;
using KafkaTyped.Hosting;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.Cli.Tests.Infrastructure;

/// <summary>All CLI tests share one installed tool and two clusters, and run one after another (2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<DevCluster>, ICollectionFixture<AppCluster>
{
    public const string Name = "kafkatyped";
}

/// <summary><c>kafkatyped dev</c> started as a process of its own, stopped with Ctrl-C (SIGINT).</summary>
public sealed class DevCluster : IAsyncLifetime
{
    private Process? process;
    private Task<string>? errors;

    /// <summary>What dev printed (--json): bootstrapServers, registryUrl, controlUrl, environment, appsettings.</summary>
    public JsonObject Ready { get; private set; } = null!;

    public string BootstrapServers => Ready["bootstrapServers"]!.GetValue<string>();

    public string RegistryUrl => Ready["registryUrl"]!.GetValue<string>();

    /// <summary>Runs the tool against this cluster (--bootstrap-servers; the registry is found through the cluster).</summary>
    public Task<CliResult> RunAsync(params string[] args) => Tool.RunAsync([.. args, "--bootstrap-servers", BootstrapServers]);

    public Task<CliResult> RunWithInputAsync(string stdin, params string[] args) => Tool.RunAsync([.. args, "--bootstrap-servers", BootstrapServers], stdin);

    public async Task InitializeAsync()
    {
        (process, Ready, errors) = await StartAsync("dev", "--brokers", "1", "--json", "--topic", "cli-orders:3");
    }

    public async Task DisposeAsync()
    {
        if (process is not null)
        {
            await StopAsync(process);
            process.Dispose();
        }
    }

    /// <summary>
    /// Starts dev and waits for its ready line. Its standard error is read from the start and the rest of its standard
    /// output after the ready line, all the while it runs: a pipe nobody reads fills up and blocks the process (which
    /// then cannot stop on Ctrl-C). <c>Errors</c> completes with everything dev wrote to standard error once it exited.
    /// </summary>
    public static async Task<(Process Process, JsonObject Ready, Task<string> Errors)> StartAsync(params string[] args)
    {
        var started = Tool.Start(args);
        var errors = started.StandardError.ReadToEndAsync();
        var line = await started.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (line is null)
        {
            throw new InvalidOperationException("kafkatyped dev exited: " + await errors);
        }

        _ = started.StandardOutput.ReadToEndAsync();
        return (started, (JsonObject)JsonNode.Parse(line)!, errors);
    }

    /// <summary>Ctrl-C, then the exit code.</summary>
    public static async Task<int> StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            Tool.Interrupt(process);
        }

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("kafkatyped dev did not stop on SIGINT");
        }

        return process.ExitCode;
    }
}

/// <summary>
/// This assembly run as an application on its own embedded cluster (no BootstrapServers configured), in the test
/// process: generated producer, the cli-billing group (which dead-letters negative amounts) and the embedded registry.
/// </summary>
public sealed class AppCluster : IAsyncLifetime
{
    public IHost Host { get; private set; } = null!;

    public string BootstrapServers { get; private set; } = null!;

    public string RegistryUrl { get; private set; } = null!;

    public IServiceProvider Services => Host.Services;

    public Task<CliResult> RunAsync(params string[] args) => Tool.RunAsync([.. args, "--bootstrap-servers", BootstrapServers]);

    public async Task InitializeAsync()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["KafkaTyped:Embedded:Brokers"] = "1" });
        builder.Services.AddKafkaTyped(builder.Configuration);
        Host = builder.Build();
        await Host.StartAsync();
        BootstrapServers = Services.GetRequiredService<KafkaCluster>().BootstrapServers;
        var registry = Services.GetRequiredService<SchemaRegistryProvider>();
        await registry.GetRegistryAsync();
        RegistryUrl = registry.EmbeddedUrl!;
    }

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
