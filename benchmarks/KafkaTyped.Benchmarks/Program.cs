using BenchmarkDotNet.Running;
using KafkaTyped.Benchmarks.Codec;

// Runs the benchmarks selected on the command line, for example:
//   dotnet run -c Release --project benchmarks/KafkaTyped.Benchmarks -- --filter '*Codec*'
// or the generator's work alone, for instruction counts (docs/performance.md):
//   dotnet run -c Release --project benchmarks/KafkaTyped.Benchmarks -- --generator-runs rerun 10
// Results and the exact commands are recorded in docs/performance.md.
if (args.Length == 3 && args[0] == GeneratorRunsHarness.Switch)
{
    GeneratorRunsHarness.Run(args[1], args[2]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
