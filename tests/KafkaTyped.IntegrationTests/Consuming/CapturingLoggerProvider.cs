using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>Records the event ids and messages KafkaTyped logs, to assert on what happened inside the engine.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();

    public ConcurrentQueue<(int EventId, LogLevel Level, string Message, TimeSpan At)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception), provider.clock.Elapsed));
    }
}
