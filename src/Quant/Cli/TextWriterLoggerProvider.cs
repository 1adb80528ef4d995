using Microsoft.Extensions.Logging;

namespace Quant.Cli;

/// <summary>
/// Log lines for a command whose error writer is not the process's stderr (a test's, or a host embedding
/// <see cref="QuantCli"/>): the console logger writes to the real console only, so without this a long-running
/// command's warnings would bypass the writer it was given. One line per entry in the console logger's single-line
/// shape (<c>HH:mm:ss.fff warn: category[id] message</c>, UTC), the exception's text on the lines after it. Entries
/// from any thread (the loop's, the host's) are written whole, one at a time.
/// </summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer, TimeProvider? time = null) : ILoggerProvider
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string category, LogLevel level, EventId id, string message, Exception? exception)
    {
        var line = $"{_time.GetUtcNow():HH:mm:ss.fff} {Code(level)}: {category}[{id.Id}] {message}";
        lock (writer)
        {
            writer.WriteLine(line);
            if (exception is not null)
            {
                writer.WriteLine(exception.ToString());
            }

            writer.Flush();
        }
    }

    /// <summary>The console logger's four-letter level names.</summary>
    private static string Code(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private sealed class Logger(TextWriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        // The minimum level is the host's filter (LoggingBuilder.SetMinimumLevel): entries below it never get here.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, eventId, formatter(state, exception), exception);
            }
        }
    }
}
