using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Rekognition.Server.Tests.TestSupport;

/// <summary>
/// Keeps the server's last warnings and errors in memory, so a test that fails on something the server did in the
/// background (a job) can say what the server logged.
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    private const int Kept = 200;
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The newest <paramref name="count"/> lines, oldest first.</summary>
    public IReadOnlyList<string> Recent(int count = 40)
    {
        var all = _lines.ToArray();
        return all[Math.Max(0, all.Length - count)..];
    }

    public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > Kept && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Writer(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}[{eventId.Id}]: {formatter(state, exception)}" +
                        (exception is null ? "" : $" | {exception.GetType().Name}: {exception.Message}"));
            }
        }
    }
}
