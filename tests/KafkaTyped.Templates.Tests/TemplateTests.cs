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
}
