using BenchmarkDotNet.Running;
using Duplicity.Benchmarks;

// Not part of Duplicity.sln.
//   dotnet run -c Release --project scripts/benchmarks/Duplicity.Benchmarks -- --filter '*'    (BenchmarkDotNet)
//   dotnet Duplicity.Benchmarks.dll rdiff signature|delta|patch ...    (one file-to-file command, as rdiff;
//                                                                      scripts/benchmarks/rsync-vs-rdiff.sh times both)
if (args is ["rdiff", ..])
{
    return await FileCommands.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(RsyncBenchmarks).Assembly).Run(args);
return 0;
