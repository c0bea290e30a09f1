using KafkaTyped.Chaos;

// eng/chaos.sh runs "run"; the runner starts this same program again as "host" and "producer", and the consumer and
// cache apps next to it. See docs/reliability.md.
return args switch
{
    ["host", .. var rest] => await HostRole.RunAsync(rest),
    ["producer", .. var rest] => await ProducerRole.RunAsync(rest),
    ["run", .. var rest] when rest.Contains("--help") => Usage(0),
    ["run", .. var rest] => await Scenario.RunAsync(ChaosOptions.Parse(rest)),
    _ => Usage(2),
};

static int Usage(int exitCode)
{
    Console.Error.WriteLine(ChaosOptions.Help);
    return exitCode;
}
