using Microsoft.Extensions.Logging;

namespace Duplicity.Samples;

/// <summary>
/// Prints log messages as duplicity does: errors to stderr, everything else to stdout, filtered by
/// duplicity's verbosity (Information = NOTICE 3, Debug = INFO 5, Trace = DEBUG 9).
/// </summary>
internal sealed class ConsoleLoggerFactory(TextWriter stdout, TextWriter stderr, int verbosity) : ILoggerFactory
{
    private TextWriter Stdout => stdout;
    private TextWriter Stderr => stderr;
    private int Verbosity => verbosity;

    public ILogger CreateLogger(string categoryName) => new Logger(this);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private static int LevelOf(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => 0,
        LogLevel.Warning => 2,
        LogLevel.Information => 3,
        LogLevel.Debug => 5,
        _ => 9,
    };

    private sealed class Logger(ConsoleLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && LevelOf(logLevel) <= owner.Verbosity;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var writer = LevelOf(logLevel) == 0 ? owner.Stderr : owner.Stdout;
            lock (owner) writer.WriteLine(formatter(state, exception));
        }
    }
}
