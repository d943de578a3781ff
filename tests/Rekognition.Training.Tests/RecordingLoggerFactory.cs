using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Rekognition.Training.Tests;

/// <summary>A logger factory that keeps every entry (category, event id, level, message), to check what a component logs.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<(string Category, EventId Id, LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            factory.Entries.Enqueue((category, eventId, logLevel, formatter(state, exception)));
    }
}
