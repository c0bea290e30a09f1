namespace KafkaTyped.Templates.Tests;

/// <summary>
/// Each template as a user meets it: installed from the packed package, instantiated once with non-default options,
/// built with warnings as errors, run (its output checked) and its test project run. Slow (restores, builds, runs on an
/// embedded cluster), so one instantiation per template; every command is bounded and killed past its patience.
/// </summary>
public sealed class TemplateTests(TemplateHive hive) : IClassFixture<TemplateHive>
{
    [Fact]
    public void The_worker_template_builds_runs_and_passes_its_tests()
    {
        var root = hive.Instantiate("kafkatyped-worker", "-n", "Shop.Billing", "--topic", "shop-orders", "--partitions", "3");
        var app = Path.Combine(root, "Shop.Billing");
        var tests = Path.Combine(root, "Shop.Billing.Tests");

        Assert.Contains("[Topic(\"shop-orders\", Partitions = 3)]", File.ReadAllText(Path.Combine(app, "OrderEvents.cs")), StringComparison.Ordinal);
        Assert.Contains("namespace Shop.Billing;", File.ReadAllText(Path.Combine(app, "Billing.cs")), StringComparison.Ordinal);
        Assert.Contains($"Include=\"KafkaTyped\" Version=\"{hive.Version}\"", File.ReadAllText(Path.Combine(app, "Shop.Billing.csproj")), StringComparison.Ordinal);

        TemplateHive.Check(hive.Run(root, "dotnet", ["build", tests, "-c", "Release", "-warnaserror", "-nodeReuse:false"]));

        var run = hive.RunUntil(app, "dotnet", ["run", "--no-build", "-c", "Release"], "Billed order-2");
        Assert.True(run.Output.Contains("Billed order-2", StringComparison.Ordinal), run.ToString());
        Assert.Contains("Placed order-1 on shop-orders partition", run.Output, StringComparison.Ordinal);

        var test = hive.Run(root, "dotnet", ["test", tests, "--no-build", "-c", "Release"]);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("Passed!", test.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>--Framework net8.0</c>: the projects target .NET 8 and the application builds with warnings as errors against
    /// the package's net8.0 assets. Built, not run: this machine has only the .NET 10 runtime (the net10.0 instance above
    /// runs). Without an apphost, and without the test project: the offline hive has neither the .NET 8 apphost pack nor
    /// the .NET 8 versions of the test SDK's dependencies, and neither is what is under test.
    /// </summary>
    [Fact]
    public void The_worker_template_targets_net8_when_asked_and_builds()
    {
        var root = hive.Instantiate("kafkatyped-worker", "-n", "Shop.Legacy", "--Framework", "net8.0");
        var app = Path.Combine(root, "Shop.Legacy");
        var tests = Path.Combine(root, "Shop.Legacy.Tests");
        Assert.Contains("<TargetFramework>net8.0</TargetFramework>", File.ReadAllText(Path.Combine(app, "Shop.Legacy.csproj")), StringComparison.Ordinal);
        Assert.Contains("<TargetFramework>net8.0</TargetFramework>", File.ReadAllText(Path.Combine(tests, "Shop.Legacy.Tests.csproj")), StringComparison.Ordinal);

        TemplateHive.Check(hive.Run(root, "dotnet", ["build", app, "-c", "Release", "-warnaserror", "-nodeReuse:false", "-p:UseAppHost=false"]));
        Assert.True(File.Exists(Path.Combine(app, "bin", "Release", "net8.0", "Shop.Legacy.dll")));
    }

    [Fact]
    public void The_cache_template_builds_runs_and_passes_its_tests()
    {
        var root = hive.Instantiate("kafkatyped-cache", "-n", "Shop.Prices", "--topic", "shop-prices", "--partitions", "4");
        var app = Path.Combine(root, "Shop.Prices");
        var tests = Path.Combine(root, "Shop.Prices.Tests");

        Assert.Contains("[ReplicatedCache(\"shop-prices\", Partitions = 4)]", File.ReadAllText(Path.Combine(app, "PriceCache.cs")), StringComparison.Ordinal);
        Assert.Contains("namespace Shop.Prices;", File.ReadAllText(Path.Combine(app, "Price.cs")), StringComparison.Ordinal);

        TemplateHive.Check(hive.Run(root, "dotnet", ["build", tests, "-c", "Release", "-warnaserror", "-nodeReuse:false"]));

        // The demo: three processes on one embedded cluster converge, one restarts and rebuilds its replica.
        var run = hive.Run(app, "dotnet", ["run", "--no-build", "-c", "Release"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("All three instances hold the same prices.", run.Output, StringComparison.Ordinal);
        Assert.Contains("READY instance-3 with 2 prices: apple=0.49 EUR, pear=0.60 EUR", run.Output, StringComparison.Ordinal);

        var test = hive.Run(root, "dotnet", ["test", tests, "--no-build", "-c", "Release"]);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("Passed!", test.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_api_template_builds_serves_and_passes_its_tests()
    {
        var root = hive.Instantiate("kafkatyped-api", "-n", "Shop.Api", "--topic", "shop-api-orders", "--partitions", "2");
        var app = Path.Combine(root, "Shop.Api");
        var tests = Path.Combine(root, "Shop.Api.Tests");

        Assert.Contains("[Topic(\"shop-api-orders\", Partitions = 2)]", File.ReadAllText(Path.Combine(app, "Orders.cs")), StringComparison.Ordinal);

        TemplateHive.Check(hive.Run(root, "dotnet", ["build", tests, "-c", "Release", "-warnaserror", "-nodeReuse:false"]));

        // Serve on a free port: POST produces, the consumer group fills the cache, GET reads it; health checks answer.
        var port = FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        string? status = null;
        var run = hive.RunUntil(app, "dotnet", ["run", "--no-build", "-c", "Release", "--no-launch-profile", "--urls", $"http://127.0.0.1:{port}"], "Now listening on", async () =>
        {
            var posted = await http.PostAsync("/orders", new StringContent("""{"orderId":"order-7","amountCents":1250}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.Accepted, posted.StatusCode);
            Assert.Contains("\"partition\"", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Bounded: the record goes through Kafka and the consumer group before the cache has it.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (status is null && DateTime.UtcNow < deadline)
            {
                var got = await http.GetAsync("/orders/order-7");
                if (got.IsSuccessStatusCode)
                {
                    status = await got.Content.ReadAsStringAsync();
                }
                else
                {
                    await Task.Delay(200);
                }
            }

            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/orders/no-such-order")).StatusCode);
        });
        Assert.True(status is not null, $"GET /orders/order-7 never answered 200\n{run}");
        Assert.Contains("\"state\":\"accepted\"", status, StringComparison.Ordinal);
        Assert.Contains("\"amountCents\":1250", status, StringComparison.Ordinal);

        var test = hive.Run(root, "dotnet", ["test", tests, "--no-build", "-c", "Release"]);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("Passed!", test.Output, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
