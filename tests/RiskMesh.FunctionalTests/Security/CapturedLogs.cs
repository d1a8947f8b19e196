using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>A logger provider that keeps every formatted message (and exception) a host writes, for assertions about what is logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Every line logged so far: category, message and exception text.</summary>
    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>All lines joined, for substring searches.</summary>
    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The raw state too: a structured field could hold a value the message template leaves out.
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {fields} {exception}");
        }
    }
}
