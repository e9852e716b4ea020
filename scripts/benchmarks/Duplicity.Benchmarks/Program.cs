using BenchmarkDotNet.Running;

// Not part of Duplicity.sln. Run: dotnet run -c Release --project scripts/benchmarks/Duplicity.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Duplicity.Benchmarks.RsyncBenchmarks).Assembly).Run(args);
