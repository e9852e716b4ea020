using System.Globalization;
using Duplicity.Samples.CommandLine;
using Duplicity.Samples.Output;
using Duplicity.Sessions;
using Microsoft.Extensions.Logging;

namespace Duplicity.Samples;

/// <summary>
/// Prints log messages as duplicity does: errors to stderr, everything else to stdout, filtered by
/// duplicity's verbosity (Information = NOTICE 3, Debug = INFO 5, Trace = DEBUG 9); every shown
/// message also goes to the machine-readable log (<c>--log-file</c>, <c>--log-fd</c>) with its code.
/// The SDK's events are worded by <see cref="DuplicityWording"/> and coded by <see cref="MessageCodes"/>
/// from their ids and values; other messages print as formatted.
/// </summary>
internal sealed class ConsoleLoggerFactory(TextWriter stdout, TextWriter stderr, int verbosity,
    MachineLog? machineLog = null, bool timestamps = false, ProgressOptions? progress = null) : ILoggerFactory
{
    private readonly object _gate = new();
    // While a listing runs, stdout lines go through a buffer (Console.Out flushes every line: a system call per file).
    private StreamWriter? _buffered;

    /// <summary>True when messages also go to a machine-readable log (so its extra field is worth formatting).</summary>
    public bool HasMachineLog => machineLog != null;

    /// <summary>
    /// Buffers the process's standard output until disposed (a listing prints a line per file); errors
    /// still come out in order, as the buffer is flushed before each one. Other writers (tests) are left as they are.
    /// </summary>
    public IDisposable BufferStandardOutput()
    {
        if (!ReferenceEquals(stdout, Console.Out) || _buffered != null) return NoBuffer.Instance;
        lock (_gate) _buffered = new StreamWriter(Console.OpenStandardOutput(), Console.OutputEncoding, 1 << 16) { AutoFlush = false };
        return new BufferScope(this);
    }

    private sealed class BufferScope(ConsoleLoggerFactory owner) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._buffered?.Dispose();
                owner._buffered = null;
            }
        }
    }

    private sealed class NoBuffer : IDisposable
    {
        public static readonly NoBuffer Instance = new();
        public void Dispose() { }
    }

    /// <summary>The output options of a command line: <c>--log-file</c>, <c>--log-fd</c>, <c>--log-timestamp</c>, <c>--progress</c>.</summary>
    public static ConsoleLoggerFactory Open(ParsedCommandLine options, TextWriter stdout, TextWriter stderr, int verbosity)
    {
        MachineLog? log = null;
        if (options.Last("--log-file") is { } file) log = MachineLog.OpenFile(LocalPathExpansion.Expand(file));
        else if (options.Last("--log-fd") is { } fd)
        {
            if (!int.TryParse(fd, CultureInfo.InvariantCulture, out var n) || n < 1)
                throw new CommandLineException($"option --log-fd: invalid integer value: '{fd}'", true);
            log = MachineLog.OpenDescriptor(n);
        }
        ProgressOptions? progress = null;
        if (options.Has("--progress"))
        {
            double rate = 3;
            if (options.Last("--progress-rate") is { } r && (!double.TryParse(r, CultureInfo.InvariantCulture, out rate) || rate <= 0))
                throw new CommandLineException($"option --progress-rate: invalid integer value: '{r}'", true);
            progress = new ProgressOptions(TimeSpan.FromSeconds(rate), ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        }
        return new ConsoleLoggerFactory(stdout, stderr, verbosity, log, options.Has("--log-timestamp"), progress);
    }

    public int Verbosity => verbosity;

    public ILogger CreateLogger(string categoryName) =>
        new Logger(this, categoryName.StartsWith("Duplicity.", StringComparison.Ordinal) && !categoryName.StartsWith("Duplicity.Samples", StringComparison.Ordinal));
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() => machineLog?.Dispose();

    /// <summary>A progress display for a backup or restore when <c>--progress</c> was given, else null.</summary>
    public ProgressDisplay? CreateProgress() => progress is { } p ? new ProgressDisplay(this, p) : null;

    /// <summary>
    /// Writes one message as duplicity's <c>log.Log</c> does: human text to stdout (stderr for errors)
    /// and a machine record; <paramref name="forcePrint"/> ignores the verbosity (listings, statistics).
    /// </summary>
    public void Write(int level, int code, string? extra, string message, bool forcePrint = false)
    {
        if (!forcePrint && level > verbosity) return;
        lock (_gate)
        {
            var writer = level == 0 ? stderr : (TextWriter?)_buffered ?? stdout;
            if (level == 0) _buffered?.Flush();
            progressLineOpen?.Invoke();
            writer.WriteLine(timestamps ? $"{DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture)} {MachineLog.LevelName(level)} {message}" : message);
        }
        machineLog?.Write(level, code, extra, message);
    }

    /// <summary>Writes a progress line: overwritten in place on a terminal, a plain line otherwise.</summary>
    internal void WriteProgress(string line, string extra, bool live, bool final)
    {
        if (3 > verbosity) return;
        lock (_gate)
        {
            if (live)
            {
                stdout.Write("\r" + line + "\x1b[K");
                if (final) stdout.WriteLine();
                progressLineOpen = final ? null : () => { stdout.WriteLine(); progressLineOpen = null; };
            }
            else stdout.WriteLine(line);
            stdout.Flush();
        }
        machineLog?.Write(3, MessageCodes.UploadProgress, extra, line);
    }

    // Ends a live progress line before a log message so the message does not overwrite it.
    private Action? progressLineOpen;

    private static int LevelOf(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => 0,
        LogLevel.Warning => 2,
        LogLevel.Information => 3,
        LogLevel.Debug => 5,
        _ => 9,
    };

    /// <param name="owner">The factory that prints.</param>
    /// <param name="fromSdk">The category is the SDK's: its event ids are <see cref="Duplicity.Diagnostics.DuplicityEventIds"/>
    /// (another library's ids may coincide with them).</param>
    private sealed class Logger(ConsoleLoggerFactory owner, bool fromSdk) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && LevelOf(logLevel) <= owner.Verbosity;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            int level = LevelOf(logLevel);
            if (fromSdk && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                var v = new EventValues(values);
                var (code, extra) = MessageCodes.For(eventId.Id, v);
                owner.Write(level, code, extra, DuplicityWording.Render(eventId.Id, v) ?? formatter(state, exception));
            }
            else owner.Write(level, MessageCodes.Generic, null, formatter(state, exception));
        }
    }
}

/// <summary><c>--progress</c> settings: how often a line is printed and whether it is redrawn in place.</summary>
internal sealed record ProgressOptions(TimeSpan Interval, bool Live);
