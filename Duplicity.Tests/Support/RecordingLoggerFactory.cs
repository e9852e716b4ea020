using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Duplicity.Tests.Support;

/// <summary>Collects formatted log lines by level and event id (thread-safe: backups log from worker tasks).</summary>
public sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Text, IReadOnlyDictionary<string, object?> State)> _lines = new();

    /// <summary>Formatted warning lines, in order.</summary>
    public IReadOnlyList<string> Warnings => _lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Text).ToList();

    /// <summary>Every formatted line, in order.</summary>
    public IReadOnlyList<string> All => _lines.Select(l => l.Text).ToList();

    /// <summary>The event id of every line, in order.</summary>
    public IReadOnlyList<int> EventIds => _lines.Select(l => l.EventId).ToList();

    /// <summary>The structured values of every line (by placeholder name), in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> States => _lines.Select(l => l.State).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(ConcurrentQueue<(LogLevel, int, string, IReadOnlyDictionary<string, object?>)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((logLevel, eventId.Id, formatter(state, exception),
                (state as IEnumerable<KeyValuePair<string, object?>>)?.ToDictionary() ?? new Dictionary<string, object?>()));
    }
}
