using BenchmarkDotNet.Running;

// Runs the benchmarks selected on the command line, for example:
//   dotnet run -c Release --project benchmarks/KafkaTyped.Benchmarks -- --filter '*Codec*'
// Results and the exact commands are recorded in docs/performance.md.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
