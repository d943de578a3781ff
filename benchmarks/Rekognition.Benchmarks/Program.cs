using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line (BenchmarkDotNet's --filter), e.g.
//   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- --filter '*Manifest*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
