using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests;

/// <summary>Keeps every formatted log line (with its exception text) so tests can check what the server writes.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ConcurrentQueue<(string Category, EventId EventId, LogLevel Level, string Text)> Entries { get; } = new();

    /// <summary>
    /// Every entry as one line: level, category, message, the structured state and the exception. The state is there
    /// because a URL could hide in a property that the message template does not print.
    /// </summary>
    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            provider.Entries.Enqueue((category, eventId, logLevel, message + (exception is null ? "" : " " + exception)));
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            provider._lines.Enqueue($"{logLevel} {category}: {message} {properties} {exception}");
        }
    }
}
