// Fixtures run two at a time (the machines have two cores); a fixture that changes process-wide
// state (environment variables, the current folder, console streams) or measures time or memory
// is marked [NonParallelizable] and runs alone.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
